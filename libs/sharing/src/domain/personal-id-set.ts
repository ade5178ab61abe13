import { ErrorCode, ValidationError } from '@bus/platform/pure';

const TWO_32 = 4_294_967_296;
const EMPTY = 0;
const DELETED = 255;
const MAX_LOAD = 0.75;

/**
 * A set of 12-digit personal ID numbers for the router's follow-lists, sized for tens of
 * millions: an ID is below 10^12 < 2^40, so it is stored as its low 32 bits (Uint32Array)
 * and its high 8 bits (Uint8Array, which also marks empty and deleted slots): 5 bytes a slot,
 * open addressing with linear probing, no object per entry (a `Set<string>` of 10 million
 * IDs costs well over a gigabyte of heap).
 */
export class PersonalIdSet {
  private low: Uint32Array;
  private high: Uint8Array;
  private mask: number;
  private count = 0;
  /** Live entries plus deleted markers: what the probe sequences cross. */
  private occupied = 0;

  constructor(expected = 1_024) {
    let capacity = 1_024;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.low = new Uint32Array(capacity);
    this.high = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (what 10 million follows cost the router). */
  get bytes(): number {
    return this.low.byteLength + this.high.byteLength;
  }

  has(id: string): boolean {
    const n = idNumber(id);
    return this.find(n % TWO_32, Math.floor(n / TWO_32) + 1) >= 0;
  }

  /** True when the ID was not in the set. */
  add(id: string): boolean {
    const n = idNumber(id);
    const lo = n % TWO_32;
    const hi = Math.floor(n / TWO_32) + 1;
    if (this.find(lo, hi) >= 0) return false;
    if ((this.occupied + 1) / this.high.length > MAX_LOAD) this.rehash(this.count + 1);
    let slot = hash(lo, hi) & this.mask;
    while (this.high[slot] !== EMPTY && this.high[slot] !== DELETED) slot = (slot + 1) & this.mask;
    if (this.high[slot] === EMPTY) this.occupied++;
    this.low[slot] = lo;
    this.high[slot] = hi;
    this.count++;
    return true;
  }

  /** True when the ID was in the set. */
  delete(id: string): boolean {
    const n = idNumber(id);
    const slot = this.find(n % TWO_32, Math.floor(n / TWO_32) + 1);
    if (slot < 0) return false;
    this.high[slot] = DELETED;
    this.count--;
    return true;
  }

  private find(lo: number, hi: number): number {
    let slot = hash(lo, hi) & this.mask;
    for (;;) {
      const h = this.high[slot];
      if (h === EMPTY) return -1;
      if (h === hi && this.low[slot] === lo) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Grows (or only sweeps deleted markers) so that `live` entries sit below the load limit. */
  private rehash(live: number): void {
    const { low, high } = this;
    let capacity = high.length;
    while (capacity * MAX_LOAD < live * 1.5) capacity *= 2;
    this.low = new Uint32Array(capacity);
    this.high = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.occupied = 0;
    for (let i = 0; i < high.length; i++) {
      const h = high[i] as number;
      if (h === EMPTY || h === DELETED) continue;
      const lo = low[i] as number;
      let slot = hash(lo, h) & this.mask;
      while (this.high[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.low[slot] = lo;
      this.high[slot] = h;
      this.occupied++;
    }
  }
}

/** Mixes both halves (murmur3's finaliser): consecutive IDs must not cluster. */
function hash(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The ID as an integer; only its shape is checked (12 digits), not its province or century. */
function idNumber(id: string): number {
  if (id.length !== 12) throw notAnId();
  let n = 0;
  for (let i = 0; i < 12; i++) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw notAnId();
    n = n * 10 + digit;
  }
  return n;
}

const notAnId = () =>
  new ValidationError(ErrorCode.PERSONAL_ID_INVALID, 'A followed personal ID has 12 digits');
