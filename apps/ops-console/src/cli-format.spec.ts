import { describe, expect, it } from 'vitest';
import { table } from './cli-format';

describe('cli table', () => {
  it('pads columns to the widest cell and trims line ends', () => {
    expect(
      table(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['', '22'],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\n     22\n');
  });
});
