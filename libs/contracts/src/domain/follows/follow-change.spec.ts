import { describe, expect, it } from 'vitest';
import { followKey, parseFollowChange, type FollowChange } from './follow-change';

const change: FollowChange = {
  recipient: 'land',
  personalId: '079201012345',
  following: true,
  changedAt: '2026-11-29T08:00:00.000Z',
};

describe('follow changes', () => {
  it('round-trips, keyed by recipient and citizen', () => {
    expect(parseFollowChange(JSON.stringify(change))).toEqual(change);
    expect(followKey('land', '079201012345')).toBe('land/079201012345');
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['a short ID', JSON.stringify({ ...change, personalId: '0792' }), 'personalId'],
    ['no flag', JSON.stringify({ ...change, following: 'yes' }), 'following'],
    ['no recipient', JSON.stringify({ ...change, recipient: '' }), 'recipient'],
  ])('refuses %s, naming the field', (_what, json, message) => {
    expect(() => parseFollowChange(json)).toThrow(
      expect.objectContaining({
        code: 'FOLLOW_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });
});
