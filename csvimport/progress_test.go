package csvimport

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// On anything but a terminal the progress reader only reads.
func TestProgressNotATerminal(t *testing.T) {
	f, err := os.Create(t.TempDir() + "/out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []io.Writer{&bytes.Buffer{}, f} {
		p := NewProgress(strings.NewReader("a,b\n1,2\n"), 8, w)
		got, err := io.ReadAll(p)
		if err != nil || string(got) != "a,b\n1,2\n" {
			t.Fatalf("read %q, %v", got, err)
		}
		p.Finish()
		if b, ok := w.(*bytes.Buffer); ok && b.Len() != 0 {
			t.Fatalf("drew %q on a buffer", b.String())
		}
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Fatalf("drew %d bytes on a file", st.Size())
	}
}

// On a terminal it draws a bar that fits the line, and Finish ends it.
func TestProgressDraws(t *testing.T) {
	var out bytes.Buffer
	in := strings.Repeat("person:1,3,1935-08-31,1,8,7\n", 1000)
	for _, total := range []int64{int64(len(in)), 0} {
		out.Reset()
		p := NewProgress(strings.NewReader(in), total, &out)
		p.tty, p.width = true, 60
		if _, err := io.Copy(io.Discard, p); err != nil {
			t.Fatal(err)
		}
		p.Finish()
		p.Finish()
		draws := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\r")
		last := strings.TrimSuffix(draws[len(draws)-1], "\x1b[K")
		if !strings.HasSuffix(out.String(), "\x1b[K\n") || strings.Count(out.String(), "\n") != 1 || len(last) > 59 {
			t.Fatalf("drew %q", out.String())
		}
		if total > 0 && !strings.Contains(last, "100%") || !strings.Contains(last, "1000 lines") {
			t.Fatalf("last draw: %q", last)
		}
		if total > 0 && !strings.HasPrefix(last, "[#") {
			t.Fatalf("no bar: %q", last)
		}
		t.Logf("%q", last)
	}
	// Nothing read, nothing drawn.
	out.Reset()
	p := NewProgress(strings.NewReader(""), 0, &out)
	p.tty = true
	p.Finish()
	if out.Len() != 0 {
		t.Fatalf("drew %q", out.String())
	}
}
