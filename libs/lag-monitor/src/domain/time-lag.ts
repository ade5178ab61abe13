/** One (end offset, wall time) point: by `at`, the log of the partition ended at `offset`. */
export interface EndOffsetPoint {
  readonly offset: number;
  readonly at: number;
}

/**
 * kafka-lag-exporter's lookup table: a bounded series of end-offset samples per
 * partition, from which the produce time of any offset can be estimated.
 */
export class EndOffsetTable {
  private points: EndOffsetPoint[] = [];

  constructor(private readonly limit = 60) {
    if (limit < 2) throw new RangeError('an end-offset table needs at least 2 points');
  }

  add(point: EndOffsetPoint): void {
    const last = this.points.at(-1);
    if (last && point.offset < last.offset) {
      // The topic was recreated or truncated: older points describe another log.
      this.points = [];
    }
    const beforeLast = this.points.at(-2);
    if (last && beforeLast && last.offset === point.offset && beforeLast.offset === point.offset) {
      // A flat run only needs its two ends: keeps idle partitions from flushing history.
      this.points[this.points.length - 1] = point;
      return;
    }
    this.points.push(point);
    if (this.points.length > this.limit) this.points.shift();
  }

  get size(): number {
    return this.points.length;
  }

  snapshot(): readonly EndOffsetPoint[] {
    return [...this.points];
  }

  /**
   * When was `offset` produced? Interpolates between the last point at or below it and
   * the next point above it; extrapolates from the oldest slope when the offset is older
   * than the table; undefined when the offset has not been produced yet.
   */
  producedAt(offset: number): number | undefined {
    const points = this.points;
    const latest = points.at(-1);
    if (!latest || offset >= latest.offset) return undefined;
    let upper = points.findIndex((p) => p.offset > offset);
    if (upper <= 0) {
      // Older than every point: extrapolate backwards along the oldest rising segment.
      const first = points[0] as EndOffsetPoint;
      const next = points.find((p) => p.offset > first.offset);
      if (!next) return first.at;
      upper = points.indexOf(next);
      return interpolate(points[upper - 1] as EndOffsetPoint, next, offset);
    }
    return interpolate(
      points[upper - 1] as EndOffsetPoint,
      points[upper] as EndOffsetPoint,
      offset,
    );
  }
}

function interpolate(lower: EndOffsetPoint, upper: EndOffsetPoint, offset: number): number {
  const slope = (upper.at - lower.at) / (upper.offset - lower.offset);
  return lower.at + (offset - lower.offset) * slope;
}

/**
 * Lag in seconds of a consumer whose next offset to read is `committed`: now minus the
 * estimated produce time of that offset. Zero when nothing is waiting, so an idle
 * partition with no lag reads 0 however long it stays idle.
 */
export function lagSeconds(table: EndOffsetTable, committed: number, now: number): number {
  const producedAt = table.producedAt(committed);
  if (producedAt === undefined) return 0;
  return Math.max(0, (now - producedAt) / 1000);
}
