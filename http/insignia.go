package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// handleInsignia draws an award's insignia as SVG. Awards are not changed
// once made, so the image may be cached; the ETag lets a client check.
func (s *Server) handleInsignia(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.store.FindAwardByID(r.Context(), id)
	if err != nil {
		return err
	}
	svg := InsigniaSVG(a)
	sum := sha256.Sum256(svg)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	// The image has no scripts or external references; say so, in case it
	// is opened on its own.
	h.Set("Content-Security-Policy", "default-src 'none'")
	if match := r.Header.Get("If-None-Match"); match != "" && (match == "*" || strings.Contains(match, etag)) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	w.WriteHeader(http.StatusOK)
	w.Write(svg)
	return nil
}

// Metals and their colours.
var metals = map[string]string{
	"gold":     "#d4af37",
	"silver":   "#c0c0c0",
	"bronze":   "#cd7f32",
	"platinum": "#e5e4e2",
}

// The insignia is drawn on a 120 × 172 canvas: the ribbon block at the
// top, a ring, and the star or disc centred below it.
const (
	svgWidth, svgHeight = 120, 172
	blockLeft, blockTop = 30, 4
	blockWidth          = 60
	badgeX, badgeY      = 60, 118
	badgeRadius         = 48
)

// InsigniaSVG draws an award's insignia from its description: the ribbon's
// stripes, left to right, on a ribbon block (rectangular for a title, as
// the Hero stars hang, pentagonal for orders and medals); below it a
// five-pointed star or a disc in the metal's colour, with the emblem. It
// needs no external assets, and everything taken from the award is escaped,
// so the result is well-formed XML whatever the award says.
func InsigniaSVG(a *stakhanov.Award) []byte {
	ins := a.Insignia
	metal, ok := metals[strings.ToLower(strings.TrimSpace(ins.Metal))]
	if !ok {
		metal = metals["gold"]
	}
	dark := shade(metal, 0.55)
	clipID := "ribbon-" + strconv.FormatInt(a.ID, 10)

	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		svgWidth, svgHeight, svgWidth, svgHeight)
	b.WriteString("\n<title>")
	escape(&b, a.Name)
	b.WriteString("</title>\n")
	if ins.Description != "" {
		b.WriteString("<desc>")
		escape(&b, ins.Description)
		b.WriteString("</desc>\n")
	}

	// The ribbon block: the stripes, clipped to the block's outline.
	var outline string
	var blockBottom float64
	if a.Kind == stakhanov.AwardTitle {
		blockBottom = blockTop + 30
		outline = fmt.Sprintf(`<rect x="%d" y="%d" width="%d" height="%d"`, blockLeft, blockTop, blockWidth, 30)
	} else {
		blockBottom = blockTop + 42
		outline = fmt.Sprintf(`<polygon points="%d,%d %d,%d %d,%d %d,%g %d,%d"`,
			blockLeft, blockTop, blockLeft+blockWidth, blockTop, blockLeft+blockWidth, blockTop+28,
			blockLeft+blockWidth/2, blockBottom, blockLeft, blockTop+28)
	}
	fmt.Fprintf(&b, `<defs><clipPath id="%s">%s/></clipPath></defs>`+"\n", clipID, outline)
	stripes := ins.Ribbon
	if len(stripes) == 0 {
		stripes = []string{"#9e9e9e"}
	}
	fmt.Fprintf(&b, `<g clip-path="url(#%s)">`, clipID)
	width := float64(blockWidth) / float64(len(stripes))
	for i, c := range stripes {
		// A little overlap, so that no hairline of background shows
		// between stripes.
		fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="`,
			num(blockLeft+float64(i)*width), blockTop, num(width+0.3), 44)
		escape(&b, safeColour(c))
		b.WriteString(`"/>`)
	}
	b.WriteString("</g>\n")
	fmt.Fprintf(&b, `%s fill="none" stroke="%s" stroke-width="1"/>`+"\n", outline, dark)

	// The ring that hangs the badge from the block.
	ringY := badgeY - badgeRadius - 6
	fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n",
		badgeX, num(blockBottom), badgeX, ringY-5, metal)
	fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="5" fill="none" stroke="%s" stroke-width="2.5"/>`+"\n", badgeX, ringY, metal)

	// The star or the disc.
	scale := 1.0
	if ins.Shape == "disc" {
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="%s" stroke="%s" stroke-width="3"/>`+"\n",
			badgeX, badgeY, badgeRadius-2, metal, dark)
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="%d" fill="none" stroke="%s" stroke-width="1"/>`+"\n",
			badgeX, badgeY, badgeRadius-9, dark)
	} else {
		outer, inner := float64(badgeRadius), float64(badgeRadius)*0.382
		var points []string
		var xs, ys [10]float64
		for i := range 10 {
			r := outer
			if i%2 == 1 {
				r = inner
			}
			angle := (-90 + 36*float64(i)) * math.Pi / 180
			xs[i], ys[i] = badgeX+r*math.Cos(angle), badgeY+r*math.Sin(angle)
			points = append(points, num(xs[i])+","+num(ys[i]))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="%s" stroke="%s" stroke-width="1.5" stroke-linejoin="miter"/>`+"\n",
			strings.Join(points, " "), metal, dark)
		// The ridges of a faceted star, from the centre to each point.
		fmt.Fprintf(&b, `<g stroke="%s" stroke-width="0.8" opacity="0.5">`, dark)
		for i := 0; i < 10; i += 2 {
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%s" y2="%s"/>`, badgeX, badgeY, num(xs[i]), num(ys[i]))
		}
		b.WriteString("</g>\n")
		scale = 0.62
	}

	// The emblem, drawn in a 40 × 40 box around the badge's centre.
	transform := fmt.Sprintf(`transform="translate(%d %d) scale(%s)"`, badgeX, badgeY, num(scale))
	switch strings.ToLower(strings.TrimSpace(ins.Emblem)) {
	case "hammer-and-sickle":
		fmt.Fprintf(&b, `<g class="emblem hammer-and-sickle" %s fill="%s" stroke="%s" stroke-linecap="round">`, transform, dark, dark)
		// The sickle: a blade curving from the handle over the top, and
		// the handle.
		b.WriteString(`<path d="M -7.2 7.2 A 13 13 0 1 1 11.96 6.36" fill="none" stroke-width="4"/>`)
		b.WriteString(`<line x1="-7.2" y1="7.2" x2="-15" y2="15" stroke-width="5"/>`)
		// The hammer: its handle across the sickle, and its head.
		b.WriteString(`<line x1="-5" y1="-5" x2="14" y2="14" stroke-width="4"/>`)
		b.WriteString(`<polygon points="0.07,-9.83 -4.17,-14.07 -14.07,-4.17 -9.83,0.07" stroke="none"/>`)
		b.WriteString("</g>\n")
	case "two-headed-eagle":
		fmt.Fprintf(&b, `<g class="emblem two-headed-eagle" %s fill="%s">`, transform, dark)
		b.WriteString(`<polygon points="-3,-4 -19,-12 -17,-4 -19,2 -13,4 -16,8 -5,8"/>`)
		b.WriteString(`<polygon points="3,-4 19,-12 17,-4 19,2 13,4 16,8 5,8"/>`)
		b.WriteString(`<ellipse cx="0" cy="2" rx="6" ry="10"/>`)
		b.WriteString(`<path d="M -3 -6 L -6 -11 M 3 -6 L 6 -11" stroke="` + dark + `" stroke-width="2.5"/>`)
		b.WriteString(`<circle cx="-6" cy="-13" r="3.2"/><circle cx="6" cy="-13" r="3.2"/>`)
		b.WriteString(`<polygon points="-9,-14 -12.5,-12.5 -9,-11"/><polygon points="9,-14 12.5,-12.5 9,-11"/>`)
		b.WriteString(`<polygon points="-4,-21 4,-21 3,-17 -3,-17"/>`)
		b.WriteString(`<polygon points="-5,10 0,19 5,10"/>`)
		b.WriteString("</g>\n")
	case "lenin":
		// A medallion with a profile, in a contrasting metal.
		medallion := metals["platinum"]
		if metal == medallion {
			medallion = metals["gold"]
		}
		fmt.Fprintf(&b, `<g class="emblem lenin" %s>`, transform)
		fmt.Fprintf(&b, `<circle cx="0" cy="0" r="17" fill="%s" stroke="%s" stroke-width="1.5"/>`, medallion, dark)
		fmt.Fprintf(&b, `<path d="M 7 15 L 6 9 C 9 8 10 5 9 3 L 11.5 1 L 9.5 -1.5 C 10 -9 5 -13 -1 -13 C -8 -13 -11 -7 -10 -1 C -9 3 -7 6 -6 9 L -7 15 Z" fill="%s"/>`, dark)
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// escape writes s as XML character data, also safe in a quoted attribute.
func escape(b *bytes.Buffer, s string) {
	xml.EscapeText(b, []byte(s))
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// cssColour matches the CSS colours a ribbon may use: #rgb, #rrggbb (with
// alpha or not), a colour name, or rgb()/hsl() with plain numbers.
var cssColour = regexp.MustCompile(`^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9., %/]{1,60}\))$`)

// safeColour returns c if it is a plain CSS colour, or a neutral grey, so
// that nothing but a colour reaches the image.
func safeColour(c string) string {
	c = strings.TrimSpace(c)
	if cssColour.MatchString(c) {
		return c
	}
	return "#9e9e9e"
}

// shade darkens a #rrggbb colour by factor (0.5: half as bright).
func shade(hexColour string, factor float64) string {
	v, err := strconv.ParseUint(strings.TrimPrefix(hexColour, "#"), 16, 32)
	if err != nil || len(hexColour) != 7 {
		return "#555555"
	}
	r, g, b := float64(v>>16&0xff), float64(v>>8&0xff), float64(v&0xff)
	return fmt.Sprintf("#%02x%02x%02x", int(r*factor), int(g*factor), int(b*factor))
}
