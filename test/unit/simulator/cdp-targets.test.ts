import { describe, expect, it } from 'vitest';
import { CdpSpecError, parseCdpSpec, resolveCdpTarget } from '../../../src/simulator/cdp-targets.js';
import type { CdpHistory } from '../../../src/simulator/index.js';

const history: CdpHistory = {
  ranges: [{ start: 1_000, end: 2_000, rpoSeconds: 15 }],
  longTermPoints: [
    { id: 'a', date: 100, applicationConsistent: true },
    { id: 'b', date: 500, applicationConsistent: false },
  ],
};

describe('CdpFailoverStartSpec', () => {
  it('reads both spellings of RestoreAtPointInTime, and the wrapped form', () => {
    const at = new Date(1_500).toISOString();
    expect(parseCdpSpec({ RestoreCurrent: false, RestoreCurrentVss: false, RestoreAtPointInTime: at })).toEqual({ mode: 'pointInTime', at: 1_500 });
    expect(parseCdpSpec({ RestoreCurrent: false, RestoreCurrentVss: false, RestoreAtPointinTime: at })).toEqual({ mode: 'pointInTime', at: 1_500 });
    expect(parseCdpSpec({ CdpFailoverStartSpec: { RestoreCurrent: 'true', RestoreCurrentVss: 'false' } })).toEqual({ mode: 'current' });
  });

  it('dates win over booleans (EM\'s own example sends RestoreCurrent=true with an interval)', () => {
    expect(parseCdpSpec({ RestoreCurrent: true, RestoreCurrentVss: false, RestoreAtInterval: new Date(1_200).toISOString() })).toEqual({ mode: 'interval', at: 1_200 });
  });

  it('requires both booleans and some target', () => {
    expect(() => parseCdpSpec({ RestoreCurrentVss: false })).toThrow(CdpSpecError);
    expect(() => parseCdpSpec({ RestoreCurrent: false, RestoreCurrentVss: false })).toThrow(/no restore target/);
    expect(() => parseCdpSpec(undefined)).toThrow(CdpSpecError);
  });

  it('resolves targets against the history', () => {
    expect(resolveCdpTarget({ mode: 'current' }, history)).toBe(2_000);
    expect(resolveCdpTarget({ mode: 'currentVss' }, history)).toBe(100);
    expect(resolveCdpTarget({ mode: 'pointInTime', at: 1_500 }, history)).toBe(1_500);
    expect(resolveCdpTarget({ mode: 'pointInTime', at: 700 }, history)).toBe(500);
    expect(resolveCdpTarget({ mode: 'interval', at: 1_200 }, history)).toBe(2_000);
    expect(() => resolveCdpTarget({ mode: 'pointInTime', at: 50 }, history)).toThrow(CdpSpecError);
    expect(() => resolveCdpTarget({ mode: 'interval', at: 700 }, history)).toThrow(CdpSpecError);
    expect(() => resolveCdpTarget({ mode: 'currentVss' }, { ...history, longTermPoints: [] })).toThrow(CdpSpecError);
  });
});
