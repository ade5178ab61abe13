import { describe, expect, it } from 'vitest';
import { project, sampleCitizenChanged, sharingPolicy } from '@bus/contracts';
import { FollowLists } from './follow-lists';
import { routeToSectors } from './share-routing';

const ID = '079201012345';
const OTHER = '079201099999';
const change = (recipient: string, personalId: string, following: boolean) => ({
  recipient,
  personalId,
  following,
  changedAt: '2026-11-29T03:00:00Z',
});
const topics = { bhyt: 'b', land: 'l', tax: 't', tthc: 'h' };

describe('FollowLists under the shipped policy', () => {
  it('delivers to land only the citizens it follows, to the other sectors everyone', () => {
    const lists = new FollowLists(sharingPolicy().sectors);
    expect(lists.followedSectors).toEqual(['land']);
    expect(lists.delivers('land', ID)).toBe(false);
    expect(lists.delivers('tax', ID)).toBe(true);
    expect(lists.apply(change('land', ID, true))).toBe('land');
    expect(lists.delivers('land', ID)).toBe(true);
    expect(lists.delivers('land', OTHER)).toBe(false);
    expect(lists.size('land')).toBe(1);
    expect(lists.apply(change('land', ID, false))).toBe('land');
    expect(lists.delivers('land', ID)).toBe(false);
  });

  it('ignores follows of sectors delivered in full and of unknown recipients', () => {
    const lists = new FollowLists(sharingPolicy().sectors);
    expect(lists.apply(change('tax', ID, false))).toBeNull();
    expect(lists.delivers('tax', ID)).toBe(true);
    expect(lists.apply(change('bank', ID, true))).toBeNull();
    expect(lists.size('land')).toBe(0);
  });

  it('routes a followed citizen to land and an unfollowed one nowhere in land', () => {
    const lists = new FollowLists(sharingPolicy().sectors);
    lists.apply(change('land', ID, true));
    const route = (personalId: string) =>
      routeToSectors(
        sampleCitizenChanged('PERMANENT_RESIDENCE_CHANGED', { personalId }),
        topics,
        project,
        (sector) => lists.delivers(sector, personalId),
      ).map((r) => r.sector);
    expect(route(ID).sort()).toEqual(['bhyt', 'land', 'tax', 'tthc']);
    expect(route(OTHER).sort()).toEqual(['bhyt', 'tax', 'tthc']);
  });

  it('refuses a policy whose events start follows, which the router does not do yet', () => {
    const { land, ...others } = sharingPolicy().sectors;
    const grants = {
      ...others,
      land: { ...land, followStartedBy: new Set(['ID_CARD_ISSUED'] as const) },
    };
    expect(() => new FollowLists(grants)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
