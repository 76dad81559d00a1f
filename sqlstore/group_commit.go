package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Group commit: SQLite has one writer, and each commit waits for the disk.
// Writes that arrive while one commits are gathered and committed together
// in one transaction, each in a savepoint of its own, so that one write's
// error undoes only that write. Every caller is answered after the commit,
// so nothing is acknowledged before it is durable.
//
// The rolling state is brought up to date once for the group, before its
// commit: each write marks what it touched (its state function, run in
// its savepoint, kept only if the write stands), and one state run takes
// them all. Writes of one subject, one unit or one period then share
// their state's statements; if the run fails, the whole group is undone
// and every write in it answered with the error.

// maxGroup bounds how many writes share one commit.
const maxGroup = 256

var errClosed = errors.New("the store is closed")

type groupWrite struct {
	ctx context.Context
	fn  func(q querier) error
	// state marks on a run what fn touched; nil for none.
	state func(run *stateRun) error
	done  chan error
}

type committer struct {
	db *DB
	// warm holds what the state runs read, for the next transaction.
	warm    *warmState
	queue   chan *groupWrite
	stop    chan struct{}
	stopped sync.WaitGroup
	once    sync.Once
}

// EnableGroupCommit makes small writes (shift reports) share commits. It
// is for engines with a single writer; call it once, before use.
func (db *DB) EnableGroupCommit() {
	c := &committer{db: db, queue: make(chan *groupWrite), stop: make(chan struct{}), warm: newWarmState()}
	c.stopped.Add(1)
	go c.run()
	db.group = c
}

// groupTx runs fn in a write transaction, shared with other writes when
// group commit is on, then state (if not nil), which marks on a state run
// what fn touched; the run is applied in the same transaction. It returns
// once fn's work is committed or undone.
func (db *DB) groupTx(ctx context.Context, fn func(q querier) error, state func(run *stateRun) error) error {
	if db.group == nil {
		return db.inTx(ctx, func(q querier) error {
			if err := fn(q); err != nil || state == nil {
				return err
			}
			run := db.newStateRun(ctx, q)
			if err := state(run); err != nil {
				return err
			}
			return run.apply()
		})
	}
	w := &groupWrite{ctx: ctx, fn: fn, state: state, done: make(chan error, 1)}
	select {
	case db.group.queue <- w:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.group.stop:
		return errClosed
	}
	// Once queued, the write may commit: wait for the answer even if the
	// caller gives up, so that it is never told "failed" about a success.
	return <-w.done
}

func (c *committer) run() {
	defer c.stopped.Done()
	for {
		var batch []*groupWrite
		select {
		case w := <-c.queue:
			batch = append(batch, w)
		case <-c.stop:
			return
		}
	gather:
		for len(batch) < maxGroup {
			select {
			case w := <-c.queue:
				batch = append(batch, w)
			default:
				break gather
			}
		}
		c.commit(batch)
	}
}

func (c *committer) commit(batch []*groupWrite) {
	errs := make([]error, len(batch))
	answer := func() {
		for i, w := range batch {
			w.done <- errs[i]
		}
	}
	defer answer()
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	tx, err := c.db.write.BeginTx(context.Background(), nil)
	if err != nil {
		fail(err)
		return
	}
	q := querier{q: tx, d: c.db.dialect}
	ctx := context.Background()
	var warm *warmState
	if !c.db.stateOff && c.warm.begin(ctx, tx) {
		warm = c.warm
	}
	group := c.db.newStateRun(ctx, q)
	group.warm = warm
	for i, w := range batch {
		if err := w.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := tx.Exec("SAVEPOINT group_write"); err != nil {
			c.warm.forget()
			tx.Rollback()
			fail(err)
			return
		}
		var touched *stateRun
		errs[i] = runWrite(func() error {
			if err := w.fn(q); err != nil || w.state == nil {
				return err
			}
			touched = c.db.newStateRun(ctx, q)
			touched.warm = warm
			return w.state(touched)
		})
		if errs[i] == nil && touched != nil {
			group.merge(touched)
		}
		if errs[i] != nil {
			if _, err := tx.Exec("ROLLBACK TO SAVEPOINT group_write"); err != nil {
				c.warm.forget()
				tx.Rollback()
				fail(err)
				return
			}
		}
		if _, err := tx.Exec("RELEASE SAVEPOINT group_write"); err != nil {
			c.warm.forget()
			tx.Rollback()
			fail(err)
			return
		}
	}
	if err := runWrite(group.apply); err != nil {
		c.warm.forget()
		tx.Rollback()
		fail(err)
		return
	}
	if warm != nil {
		warm.end(ctx, tx)
	}
	if err := tx.Commit(); err != nil {
		c.warm.forget()
		fail(err)
		return
	}
	if warm != nil {
		warm.keep(group)
	}
}

// runWrite runs one write, turning a panic into its error so that one bad
// write cannot stop the committer.
func runWrite(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v", p)
		}
	}()
	return fn()
}

func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	c.stopped.Wait()
}
