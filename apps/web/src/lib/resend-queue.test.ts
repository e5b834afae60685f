import { describe, expect, it } from 'vitest';
import { ResendQueue } from './resend-queue.ts';

const sample = (ts: number) => ({ ts, hr: 100 + (ts % 50) });

describe('ResendQueue', () => {
  it('numbers samples from firstSeq and removes them when acknowledged', () => {
    const q = new ResendQueue({ firstSeq: 10 });
    expect(q.enqueue(sample(1)).seq).toBe(10);
    expect(q.enqueue(sample(2)).seq).toBe(11);
    expect(q.enqueue(sample(3)).seq).toBe(12);
    expect(q.ack([[10, 11]])).toBe(2);
    expect(q.pending).toBe(1);
    expect(q.lastAcked).toBe(11);
    expect(q.unsent().map((s) => s.seq)).toEqual([12]);
  });

  it('sends each sample once per connection and everything unacknowledged after a reconnect', () => {
    const q = new ResendQueue();
    for (let t = 0; t < 5; t++) q.enqueue(sample(t));
    const first = q.unsent(3);
    expect(first.map((s) => s.seq)).toEqual([1, 2, 3]);
    q.markSent(first);
    expect(q.unsent().map((s) => s.seq)).toEqual([4, 5]);
    q.markSent(q.unsent());
    expect(q.unsent()).toEqual([]);
    q.ack([[1, 2]]);
    q.connectionReset();
    expect(q.unsent().map((s) => s.seq)).toEqual([3, 4, 5]);
  });

  it('drops only the seqs an ack names: a refused batch below them stays and is sent again', () => {
    const q = new ResendQueue();
    for (let t = 0; t < 6; t++) q.enqueue(sample(t));
    q.markSent(q.unsent());
    // 1-3 refused with BACKPRESSURE, 4-6 committed: the ack names 4-6 only.
    expect(q.ack([[4, 6]])).toBe(3);
    expect(q.ack([[4, 6]])).toBe(0);
    expect(q.pending).toBe(3);
    expect(q.unsent()).toEqual([]);
    q.refused(1, 3);
    expect(q.unsent().map((s) => s.seq)).toEqual([1, 2, 3]);
    q.markSent(q.unsent());
    expect(q.unsent()).toEqual([]);
    expect(
      q.ack([
        [1, 1],
        [3, 3],
      ]),
    ).toBe(2);
    expect(q.pending).toBe(1);
  });

  it('drops the oldest samples beyond capacity and counts them', () => {
    const q = new ResendQueue({ capacity: 3 });
    for (let t = 0; t < 5; t++) q.enqueue(sample(t));
    expect(q.pending).toBe(3);
    expect(q.dropped).toBe(2);
    expect(q.unsent().map((s) => s.seq)).toEqual([3, 4, 5]);
  });

  it('tells which seqs left the queue: acknowledged ones and those dropped beyond capacity', () => {
    const forgotten: number[][] = [];
    const q = new ResendQueue({ capacity: 3, onForget: (seqs) => forgotten.push(seqs) });
    for (let t = 0; t < 4; t++) q.enqueue(sample(t));
    q.ack([[3, 3]]);
    q.ack([[9, 9]]);
    expect(forgotten).toEqual([[1], [3]]);
  });

  it('takes back samples kept from an earlier page: sent first, in order, numbering continues above', () => {
    const earlier = new ResendQueue({ firstSeq: 100 });
    const kept = [earlier.enqueue(sample(1)), earlier.enqueue(sample(2)), earlier.enqueue(sample(3))];
    // The new page has already sent something on its connection before the restore came in.
    const q = new ResendQueue({ firstSeq: 50 });
    q.markSent([q.enqueue(sample(10))]);
    q.restore([kept[2]!, kept[0]!, kept[1]!]);
    expect(q.pending).toBe(4);
    expect(q.unsent().map((s) => s.seq)).toEqual([100, 101, 102]);
    expect(q.enqueue(sample(11)).seq).toBe(103);
    q.restore([kept[0]!]);
    expect(q.pending).toBe(5);
  });
});
