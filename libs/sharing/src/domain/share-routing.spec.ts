import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged } from '@bus/contracts';
import { routeToSectors } from './share-routing';

const topics = { bhyt: 'b', land: 'l', tax: 't', tthc: 'h' };

describe('routeToSectors', () => {
  it('sends a birth to every sector but land, which the policy withholds it from', () => {
    const routes = routeToSectors(sampleCitizenChanged('BIRTH_REGISTERED'), topics, project);
    expect(routes.map((r) => r.sector).sort()).toEqual(['bhyt', 'tax', 'tthc']);
  });

  it('never carries a withheld field, not even as null', () => {
    const routes = routeToSectors(sampleCitizenChanged('MARITAL_STATUS_CHANGED'), topics, project);
    const tax = routes.find((r) => r.sector === 'tax');
    expect(routes.map((r) => r.sector)).not.toContain('bhyt');
    expect(tax?.projected).not.toHaveProperty('idCardNumber');
    const land = routes.find((r) => r.sector === 'land');
    expect(land?.projected).not.toHaveProperty('fatherId');
    expect(land?.projected).not.toHaveProperty('temporaryResidence');
    expect(land?.projected).toHaveProperty('spouseId', '001090012345');
  });
});
