import { describe, expect, it } from 'vitest'
import { StoreWriteError, type RolledBack, type Store } from '../../src/engine/store.js'

/**
 * What every `Store` implementation guarantees, as a suite to run against each: the embedded
 * lowdb store today, a PostgreSQL store later. `make()` gives a fresh, empty state; `reopen()`
 * (durable stores) opens a second store on the same state, as a restart would; `fail()`/`heal()`
 * (where a fault can be injected) make the next writes fail and succeed again.
 *
 * @example
 * storeContract('lowdb, file', () => { const file = …; return { open: () => new LowdbStore({ file }) … } })
 */
export interface StoreHarness {
  open(): Store
  /** A new store on the same durable state (omit for stores that keep nothing). */
  reopen?(): Store
  fail?(): void | Promise<void>
  heal?(): void | Promise<void>
}

export function storeContract(name: string, make: () => StoreHarness): void {
  describe(`Store contract: ${name}`, () => {
    const loaded = async (h: StoreHarness, which: 'open' | 'reopen' = 'open') => {
      const store = h[which]!()
      await store.load()
      return store
    }

    it('reads back what was put, counts, removes and clears', async () => {
      const s = await loaded(make())
      s.put('transactions', 'a', { id: 'a', n: 1 })
      s.put('transactions', 'b', { id: 'b', n: 2 })
      s.put('state', 'k', 'v')
      expect(s.get('transactions', 'a')).toEqual({ id: 'a', n: 1 })
      expect(s.count('transactions')).toBe(2)
      expect(s.values('transactions')).toHaveLength(2)
      s.remove('transactions', 'a')
      expect(s.get('transactions', 'a')).toBeUndefined()
      s.clear('transactions')
      expect(s.count('transactions')).toBe(0)
      expect(s.get('state', 'k')).toBe('v')
      await s.commit()
      expect(s.health()).toEqual({ ok: true })
      await s.close()
    })

    it('counters count from 1 and never repeat', async () => {
      const s = await loaded(make())
      expect([s.nextCounter('x'), s.nextCounter('x'), s.nextCounter('y')]).toEqual([1, 2, 1])
      await s.commit()
      await s.close()
    })

    it('concurrent commits all resolve, and each sees its own change durable', async () => {
      const h = make()
      const s = await loaded(h)
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          s.put('transactions', `t${i}`, { id: `t${i}` })
          s.nextCounter('c')
          return s.commit()
        }),
      )
      if (h.reopen) {
        const r = await loaded(h, 'reopen')
        expect(r.count('transactions')).toBe(200)
        expect(r.get('counters', 'c')).toBe(200)
        await r.close()
      }
      await s.close()
    })

    it('a committed change is seen by a restart without close()', async () => {
      const h = make()
      if (!h.reopen) return
      const s = await loaded(h)
      s.put('transactions', 't1', { id: 't1', status: 'approved' })
      s.remove('transactions', 'never')
      await s.commit()
      const r = await loaded(h, 'reopen')
      expect(r.get('transactions', 't1')).toEqual({ id: 't1', status: 'approved' })
      expect(s.nextCounter('n')).toBe(1)
      await r.close()
      await s.close()
    })

    it('a failed write rejects its commits with StoreWriteError, rolls its changes back, fails health, and recovers', async () => {
      const h = make()
      if (!h.fail || !h.heal) return
      const s = await loaded(h)
      const rolled: RolledBack[] = []
      s.onRollback((records) => rolled.push(records))
      const kept = s.put('transactions', 'kept', { id: 'kept', status: 'pending', history: ['pending'] })
      await s.commit()

      await h.fail()
      // Changed in place (as the engine does) and a new record, both in the failing write.
      kept.status = 'approved'
      kept.history.push('approved')
      s.put('transactions', 'kept', kept)
      const created = s.put('transactions', 'new', { id: 'new' })
      const counter = s.nextCounter('n')
      const results = await Promise.allSettled([s.commit(), s.commit()])
      for (const r of results) {
        expect(r.status).toBe('rejected')
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreWriteError)
      }
      expect(s.get('transactions', 'kept')).toBe(kept) // the same object …
      expect(kept).toEqual({ id: 'kept', status: 'pending', history: ['pending'] }) // … back at its durable value
      expect(s.get('transactions', 'new')).toBeUndefined()
      expect(s.get('counters', 'n')).toBeUndefined()
      expect(counter).toBe(1)
      expect(rolled).toHaveLength(1)
      expect([...rolled[0]!.get('transactions')!].sort()).toEqual(['kept', 'new'])
      const health = s.health()
      expect(health.ok).toBe(false)
      expect(health.reason).toMatch(/could not write/)
      // Putting back a record whose creation failed would resurrect it.
      expect(() => s.put('transactions', 'new', created)).toThrow(StoreWriteError)
      // Still failing: still refused, never wedged.
      s.put('state', 'x', 1)
      await expect(s.commit()).rejects.toBeInstanceOf(StoreWriteError)

      await h.heal()
      kept.status = 'declined'
      s.put('transactions', 'kept', kept)
      await s.commit()
      expect(s.health().ok).toBe(true)
      expect(s.nextCounter('n')).toBe(1)
      await s.commit()
      if (h.reopen) {
        const r = await loaded(h, 'reopen')
        expect(r.get('transactions', 'kept')).toEqual({ id: 'kept', status: 'declined', history: ['pending'] })
        expect(r.get('transactions', 'new')).toBeUndefined()
        expect(r.get('state', 'x')).toBeUndefined()
        expect(r.get('counters', 'n')).toBe(1)
        await r.close()
      }
      await s.close()
    })

    it('a commit made while another write fails is failed with it, and the next one succeeds', async () => {
      const h = make()
      if (!h.fail || !h.heal) return
      const s = await loaded(h)
      await h.fail()
      s.put('state', 'a', 1)
      const first = s.commit()
      s.put('state', 'b', 2)
      const second = s.commit()
      await expect(first).rejects.toBeInstanceOf(StoreWriteError)
      await expect(second).rejects.toBeInstanceOf(StoreWriteError)
      expect(s.get('state', 'b')).toBeUndefined()
      await h.heal()
      s.put('state', 'c', 3)
      await s.commit()
      expect(s.get('state', 'c')).toBe(3)
      await s.close()
    })
  })
}
