import { describe, expect, it } from 'vitest';
import type { Principal } from '@bus/platform';
import { checkJurisdiction } from '../../application/command-runner';
import { callerOptions, commandOptionsFrom, provinceOfAgency } from './command-options';

const caller = (roles: string[], agency?: string): Principal => ({
  subject: 's',
  clientId: 'bus-cli',
  username: 'u',
  roles,
  agency,
  personalId: undefined,
});

describe('callers and jurisdiction', () => {
  it("derives an officer's province from a province or commune code", () => {
    expect(provinceOfAgency('01')).toBe('01');
    expect(provinceOfAgency('26506')).toBe('79');
    expect(provinceOfAgency('99999')).toBeNull();
    expect(provinceOfAgency(undefined)).toBeNull();
  });

  it('signs with the token agency, never the X-Source-Agency header', () => {
    const options = commandOptionsFrom(
      { 'x-source-agency': 'FORGED' },
      undefined,
      caller(['officer'], '79'),
    );
    expect(options).toMatchObject({ sourceAgency: '79', jurisdiction: { province: '79' } });
    expect(commandOptionsFrom({ 'x-source-agency': 'FORGED' }).sourceAgency).toBeUndefined();
  });

  it('limits officers to their province and leaves administrators national', () => {
    const officer = callerOptions(caller(['officer'], '01'));
    expect(() => checkJurisdiction(officer, '00070')).not.toThrow();
    expect(() => checkJurisdiction(officer, '26506')).toThrow(/jurisdiction/);
    expect(() => checkJurisdiction(officer, undefined)).toThrow(/jurisdiction/);
    expect(() => checkJurisdiction(callerOptions(caller(['officer'])), '00070')).toThrow();
    expect(() => checkJurisdiction(callerOptions(caller(['admin'])), '26506')).not.toThrow();
  });
});
