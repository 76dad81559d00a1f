package csvimport

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"
)

// Progress is a reader that draws a progress bar of what has been read:
// bytes read of the total, lines and lines per second, and the time left.
// It draws only when its writer is a terminal; otherwise it just reads.
// It is not safe for concurrent use: one import reads it, then calls
// Finish.
type Progress struct {
	r     io.Reader
	w     io.Writer
	total int64
	tty   bool
	width int

	read  int64
	lines int64
	start time.Time
	next  time.Time
	drawn bool
	done  bool
	buf   []byte
}

// redraw is how often the bar is drawn at most.
const redraw = 150 * time.Millisecond

// NewProgress returns a reader of r that draws its progress on w when w is
// a terminal (an *os.File, or anything with an Fd, on a terminal). total is
// the size of the input in bytes, or 0 if unknown (standard input): the
// bar then shows what was read without a percentage.
func NewProgress(r io.Reader, total int64, w io.Writer) *Progress {
	p := &Progress{r: r, w: w, total: total, start: time.Now(), width: 80}
	if f, ok := w.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols >= 20 {
			p.width = cols
		}
	}
	return p
}

var newline = []byte{'\n'}

func (p *Progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.tty && !p.done {
		p.lines += int64(bytes.Count(b[:n], newline))
		if now := time.Now(); !now.Before(p.next) {
			p.draw(now)
			p.next = now.Add(redraw)
		}
	}
	return n, err
}

// Finish draws the bar a last time, as it ends, and ends its line. It does
// nothing when nothing was drawn, and nothing the second time.
func (p *Progress) Finish() {
	if !p.tty || p.done {
		return
	}
	if p.drawn || p.read > 0 {
		p.draw(time.Now())
		io.WriteString(p.w, "\n")
	}
	p.done = true
}

// draw writes the bar over the current line:
//
//	[#########.........]   48%  12.3 MiB/25.6 MiB  120000 lines  95312 lines/s  0:13 left
func (p *Progress) draw(now time.Time) {
	elapsed := now.Sub(p.start).Seconds()
	var stats strings.Builder
	if p.total > 0 {
		fmt.Fprintf(&stats, "%3d%%  %s/%s  ", min(100, p.read*100/p.total), size(p.read), size(p.total))
	} else {
		stats.WriteString(size(p.read) + "  ")
	}
	stats.WriteString(strconv.FormatInt(p.lines, 10))
	stats.WriteString(" lines")
	if elapsed >= 0.5 {
		fmt.Fprintf(&stats, "  %.0f lines/s", float64(p.lines)/elapsed)
		if p.total > 0 && p.read > 0 && p.read < p.total {
			left := time.Duration(elapsed * float64(p.total-p.read) / float64(p.read) * float64(time.Second))
			fmt.Fprintf(&stats, "  %s left", clock(left))
		}
	}
	s := stats.String()
	b := append(p.buf[:0], '\r')
	if p.total > 0 {
		// A bar takes what the figures leave of the line, up to 40 cells.
		cells := min(40, p.width-1-len(s)-4)
		if cells >= 10 {
			full := int(min(p.read, p.total) * int64(cells) / p.total)
			b = append(b, '[')
			b = append(b, strings.Repeat("#", full)...)
			b = append(b, strings.Repeat(".", cells-full)...)
			b = append(b, "]  "...)
		}
	}
	b = append(b, s...)
	if len(b) > p.width {
		b = b[:p.width]
	}
	b = append(b, "\x1b[K"...) // clear what a longer line left
	p.buf = b
	p.w.Write(b)
	p.drawn = true
}

// size writes a number of bytes for people: 512 B, 12 KiB, 3.4 MiB, 1.2 GiB.
func size(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	case n < 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
}

func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
