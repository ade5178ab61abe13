import { sampleCitizenChanged, type CitizenChanged } from '@bus/contracts';

/** `count` newborns registered in TP HCM, then each moving to Hà Nội: 2 x count events. */
export function birthsAndMoves(count: number, prefix = 'bulk'): CitizenChanged[] {
  const events: CitizenChanged[] = [];
  for (let i = 0; i < count; i++) {
    const personalId = `079225${String(100_000 + i).padStart(6, '0')}`;
    const born = sampleCitizenChanged('BIRTH_REGISTERED', {
      eventId: `${prefix}-${personalId}-1`,
      personalId,
      version: 1,
      dateOfBirth: '2025-07-01',
      permanentResidence: { provinceCode: '79', communeCode: '26740', addressLine: `${i} Lê Lợi` },
    });
    events.push(born, {
      ...born,
      eventId: `${prefix}-${personalId}-2`,
      eventType: 'PERMANENT_RESIDENCE_CHANGED',
      version: 2,
      occurredAt: born.occurredAt + 86_400_000,
      recordedAt: born.recordedAt + 86_400_000,
      permanentResidence: {
        provinceCode: '01',
        communeCode: '00070',
        addressLine: `${i} Hàng Bài`,
      },
      changedFields: ['permanentResidence'],
    });
  }
  return events;
}
