import { describe, expect, it } from 'vitest';
import { parseDeliveryReceipt, type DeliveryReceipt } from './delivery-receipt';

const receipt: DeliveryReceipt = {
  recipient: 'land',
  eventId: 'e-1',
  personalId: '079201012345',
  eventType: 'NAME_CHANGED',
  fields: ['personalId', 'fullName'],
  policyVersion: 2,
  appliedAt: '2026-11-29T08:00:00.000Z',
};

describe('parseDeliveryReceipt', () => {
  it('reads what a writer wrote', () => {
    expect(parseDeliveryReceipt(JSON.stringify(receipt))).toEqual(receipt);
  });

  it.each([
    ['not JSON', '{', 'receipt is not JSON'],
    ['an array', '[]', 'fields must be an array of strings'],
    ['fields not strings', JSON.stringify({ ...receipt, fields: [1] }), 'fields must be'],
    ['a bad version', JSON.stringify({ ...receipt, policyVersion: -1 }), 'policyVersion'],
    ['no recipient', JSON.stringify({ ...receipt, recipient: '' }), 'recipient'],
    ['a bad time', JSON.stringify({ ...receipt, appliedAt: 'yesterday' }), 'appliedAt'],
  ])('refuses %s, naming the field', (_what, json, message) => {
    expect(() => parseDeliveryReceipt(json)).toThrow(
      expect.objectContaining({
        code: 'RECEIPT_INVALID',
        message: expect.stringContaining(message),
      }),
    );
  });
});
