package http_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
)

// svgElement is one element of a parsed SVG image.
type svgElement struct {
	name  string
	attrs map[string]string
	// classes are the classes of the element and its ancestors.
	classes []string
}

// parsedSVG is an SVG image read with encoding/xml, which refuses anything
// that is not well-formed.
type parsedSVG struct {
	root     xml.StartElement
	title    string
	desc     string
	elements []svgElement
}

func parseSVG(t *testing.T, b []byte) parsedSVG {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var out parsedSVG
	var stack [][]string // classes per open element
	var text *string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if out.root.Name.Local == "" {
				out.root = tok
			}
			el := svgElement{name: tok.Name.Local, attrs: map[string]string{}}
			if len(stack) > 0 {
				el.classes = slices.Clone(stack[len(stack)-1])
			}
			for _, a := range tok.Attr {
				el.attrs[a.Name.Local] = a.Value
				if a.Name.Local == "class" {
					el.classes = append(el.classes, strings.Fields(a.Value)...)
				}
			}
			stack = append(stack, el.classes)
			out.elements = append(out.elements, el)
			switch tok.Name.Local {
			case "title":
				text = &out.title
			case "desc":
				text = &out.desc
			}
		case xml.CharData:
			if text != nil {
				*text += string(tok)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			text = nil
		}
	}
	if out.root.Name.Local != "svg" || out.root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root element: got %v, want svg in the SVG namespace", out.root.Name)
	}
	return out
}

// find returns the elements with the name, optionally within a class.
func (p parsedSVG) find(name, class string) []svgElement {
	var out []svgElement
	for _, el := range p.elements {
		if el.name == name && (class == "" || slices.Contains(el.classes, class)) {
			out = append(out, el)
		}
	}
	return out
}

// fills lists the fill colours of the elements with the name.
func (p parsedSVG) fills(name string) []string {
	var out []string
	for _, el := range p.find(name, "") {
		out = append(out, el.attrs["fill"])
	}
	return out
}

func hslAward() *stakhanov.Award {
	return &stakhanov.Award{
		ID: 2, Name: "Hero of Socialist Labour", Kind: stakhanov.AwardTitle,
		Insignia: stakhanov.Insignia{
			Description: "A five-pointed gold star, the Hammer and Sickle medal, on a red ribbon block",
			Shape:       "star", Metal: "gold", Emblem: "hammer-and-sickle", Ribbon: []string{"#c8102e"},
		},
	}
}

func TestInsigniaStar(t *testing.T) {
	a := hslAward()
	svg := parseSVG(t, stakhttp.InsigniaSVG(a))
	if svg.title != a.Name {
		t.Fatalf("title: got %q, want %q", svg.title, a.Name)
	}
	if svg.desc != a.Insignia.Description {
		t.Fatalf("desc: got %q, want the insignia's description", svg.desc)
	}
	// The ribbon block of a title is rectangular.
	clips := svg.find("clipPath", "")
	if len(clips) != 1 || len(svg.find("rect", "")) == 0 {
		t.Fatalf("clip paths: got %d, want 1 for the ribbon block", len(clips))
	}
	if !slices.Contains(svg.fills("rect"), "#c8102e") {
		t.Fatalf("ribbon: got fills %v, want the red stripe", svg.fills("rect"))
	}
	// A five-pointed star has ten vertices, in gold.
	var star *svgElement
	for _, p := range svg.find("polygon", "") {
		if p.attrs["fill"] == "#d4af37" {
			star = &p
		}
	}
	if star == nil {
		t.Fatalf("no gold polygon (the star) among %v", svg.fills("polygon"))
	}
	if n := len(strings.Fields(star.attrs["points"])); n != 10 {
		t.Fatalf("star: got %d vertices, want 10: %q", n, star.attrs["points"])
	}
	if len(svg.find("path", "hammer-and-sickle")) == 0 {
		t.Fatal("no hammer and sickle drawn")
	}
	if len(svg.find("g", "two-headed-eagle")) != 0 || len(svg.find("g", "lenin")) != 0 {
		t.Fatal("another emblem is drawn too")
	}
	// Drawing is deterministic, so that the image can be cached by ETag.
	if !bytes.Equal(stakhttp.InsigniaSVG(a), stakhttp.InsigniaSVG(hslAward())) {
		t.Fatal("two drawings of the same award differ")
	}
}

func TestInsigniaDisc(t *testing.T) {
	for _, tc := range []struct {
		kind, metal, emblem, colour string
		pentagon                    bool
	}{
		{stakhanov.AwardOrder, "gold", "lenin", "#d4af37", true},
		{stakhanov.AwardMedal, "silver", "", "#c0c0c0", true},
		{stakhanov.AwardMedal, "bronze", "hammer-and-sickle", "#cd7f32", true},
		{stakhanov.AwardTitle, "platinum", "two-headed-eagle", "#e5e4e2", false},
	} {
		a := &stakhanov.Award{ID: 7, Name: "Order of Lenin", Kind: tc.kind, Insignia: stakhanov.Insignia{
			Shape: "disc", Metal: tc.metal, Emblem: tc.emblem, Ribbon: []string{"#ffd700", "#c8102e", "#c8102e", "#ffd700"},
		}}
		svg := parseSVG(t, stakhttp.InsigniaSVG(a))
		if !slices.Contains(svg.fills("circle"), tc.colour) {
			t.Errorf("%s disc: got circle fills %v, want %s", tc.metal, svg.fills("circle"), tc.colour)
		}
		// The stripes, left to right.
		var stripes []string
		var xs []float64
		for _, r := range svg.find("rect", "") {
			if r.attrs["fill"] != "" && r.attrs["fill"] != "none" {
				stripes = append(stripes, r.attrs["fill"])
				x, err := strconv.ParseFloat(r.attrs["x"], 64)
				if err != nil {
					t.Fatalf("stripe x %q: %v", r.attrs["x"], err)
				}
				xs = append(xs, x)
			}
		}
		if !slices.Equal(stripes, a.Insignia.Ribbon) {
			t.Errorf("%s: stripes got %v, want %v", tc.kind, stripes, a.Insignia.Ribbon)
		}
		if !slices.IsSorted(xs) || len(slices.Compact(slices.Clone(xs))) != len(xs) {
			t.Errorf("%s: stripes not left to right: x %v", tc.kind, xs)
		}
		clip := svg.find("polygon", "")
		pentagon := false
		for _, p := range clip {
			if len(strings.Fields(p.attrs["points"])) == 5 {
				pentagon = true
			}
		}
		if pentagon != tc.pentagon {
			t.Errorf("%s: pentagonal block %v, want %v", tc.kind, pentagon, tc.pentagon)
		}
		for _, emblem := range []string{"hammer-and-sickle", "two-headed-eagle", "lenin"} {
			drawn := len(svg.find("g", emblem)) > 0
			if drawn != (emblem == tc.emblem) {
				t.Errorf("%s %s: emblem %s drawn %v", tc.kind, tc.metal, emblem, drawn)
			}
		}
	}
}

// TestInsigniaEscapes checks that nothing an award says can break out of
// the image: names are escaped, and ribbon colours that are not colours are
// replaced.
func TestInsigniaEscapes(t *testing.T) {
	a := &stakhanov.Award{ID: 3, Name: `Hero <of> "Labour" & 'Co' ]]>`, Kind: stakhanov.AwardTitle, Insignia: stakhanov.Insignia{
		Description: "</desc><script>alert(1)</script>",
		Shape:       "star", Metal: "unobtainium", Emblem: "<b>",
		Ribbon: []string{`red" onload="alert(1)`, "url(http://example.com/x.svg)", "rgb(10, 20, 30)", "navy"},
	}}
	b := stakhttp.InsigniaSVG(a)
	svg := parseSVG(t, b)
	if svg.title != a.Name {
		t.Fatalf("title: got %q, want %q", svg.title, a.Name)
	}
	if svg.desc != a.Insignia.Description {
		t.Fatalf("desc: got %q", svg.desc)
	}
	if len(svg.find("script", "")) != 0 {
		t.Fatal("a script element got into the image")
	}
	for _, el := range svg.elements {
		for name := range el.attrs {
			if strings.HasPrefix(name, "on") {
				t.Fatalf("an event attribute %s got into the image", name)
			}
		}
	}
	if strings.Contains(string(b), "example.com") {
		t.Fatal("an external reference got into the image")
	}
	fills := svg.fills("rect")
	for _, want := range []string{"#9e9e9e", "rgb(10, 20, 30)", "navy"} {
		if !slices.Contains(fills, want) {
			t.Fatalf("stripes: got %v, want %s among them", fills, want)
		}
	}
	// An unknown metal is drawn in gold rather than not at all.
	if !slices.Contains(svg.fills("polygon"), "#d4af37") {
		t.Fatalf("unknown metal: got polygon fills %v, want gold", svg.fills("polygon"))
	}

	// No ribbon at all still draws a block.
	a.Insignia.Ribbon = nil
	if svg := parseSVG(t, stakhttp.InsigniaSVG(a)); len(svg.fills("rect")) == 0 {
		t.Fatal("no ribbon: no block drawn")
	}
}
