package credential

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// BakingNamespace is the namespace of the element that carries an Open
// Badges 3.0 credential in an SVG image.
const BakingNamespace = "https://purl.imsglobal.org/ob/v3p0"

// BakeSVG bakes a VC-JWT into an SVG image as Open Badges 3.0 asks: the
// root element declares xmlns:openbadges and its first child is an
// <openbadges:credential> element holding the JWT.
func BakeSVG(svg []byte, jwt string) ([]byte, error) {
	if strings.ContainsAny(jwt, "<>&\"' \n") {
		return nil, errors.New("bake: the credential is not a compact JWT")
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil, errors.New("bake: the image has no <svg> element")
		}
		if err != nil {
			return nil, fmt.Errorf("bake: the image is not XML: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local != "svg" {
			return nil, fmt.Errorf("bake: the root element is <%s>, not <svg>", start.Name.Local)
		}
		for _, a := range start.Attr {
			if a.Value == BakingNamespace {
				return nil, errors.New("bake: the image is baked already")
			}
		}
		end := int(d.InputOffset()) // just after the start tag's '>'
		if end < 2 || svg[end-1] != '>' || svg[end-2] == '/' {
			return nil, errors.New("bake: the <svg> element is empty")
		}
		var b bytes.Buffer
		b.Grow(len(svg) + len(jwt) + 128)
		b.Write(svg[:end-1])
		b.WriteString(` xmlns:openbadges="` + BakingNamespace + `">`)
		b.WriteString("\n<openbadges:credential>" + jwt + "</openbadges:credential>")
		b.Write(svg[end:])
		return b.Bytes(), nil
	}
}

// Extract returns the VC-JWT in a file: an SVG image baked by BakeSVG (or
// any Open Badges 3.0 baked SVG holding a JWT), a JSON object {"jwt": ...},
// or the JWT itself.
func Extract(data []byte) (string, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return "", errors.New("the file is empty")
	case trimmed[0] == '<':
		return extractSVG(trimmed)
	case trimmed[0] == '{':
		var v struct {
			JWT string `json:"jwt"`
		}
		if err := json.Unmarshal(trimmed, &v); err != nil || v.JWT == "" {
			return "", errors.New("the JSON file has no \"jwt\"")
		}
		return v.JWT, nil
	}
	return string(trimmed), nil
}

func extractSVG(data []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return "", errors.New("the image holds no <openbadges:credential>: it is not baked")
		}
		if err != nil {
			return "", fmt.Errorf("the image is not XML: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Space != BakingNamespace || start.Name.Local != "credential" {
			continue
		}
		var text strings.Builder
		for {
			tok, err := d.Token()
			if err != nil {
				return "", fmt.Errorf("the image is not XML: %w", err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text.Write(cd)
			}
			if _, ok := tok.(xml.EndElement); ok {
				break
			}
		}
		jwt := strings.TrimSpace(text.String())
		if jwt == "" {
			for _, a := range start.Attr {
				if a.Name.Local == "verify" {
					jwt = strings.TrimSpace(a.Value)
				}
			}
		}
		if jwt == "" || strings.HasPrefix(jwt, "{") {
			return "", errors.New("the baked credential is not a JWT")
		}
		return jwt, nil
	}
}
