package stakhanov

import "iter"

// Each yields every item of a paged list, reading MaxLimit at a time from
// find (a store's Find method with its filter bound) until it has read the
// total the store reports, or a page comes back empty. It stops at the
// first error, yielding it. Use it for lists that stay small by nature (the
// award catalogue, the goods, one subject's norms) or that a command walks
// in full; a page a person reads pages instead.
func Each[T any](find func(Page) ([]T, int, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for offset := 0; ; {
			items, total, err := find(Page{Offset: offset, Limit: MaxLimit})
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			offset += len(items)
			if len(items) == 0 || offset >= total {
				return
			}
		}
	}
}

// All returns every item of a paged list (see Each).
func All[T any](find func(Page) ([]T, int, error)) ([]T, error) {
	out := []T{}
	for it, err := range Each(find) {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}
