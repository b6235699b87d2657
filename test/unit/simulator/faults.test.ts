import { describe, expect, it } from 'vitest';
import { FaultInjector, validateFaults } from '../../../src/simulator/faults.js';

describe('fault injector', () => {
  it('hangs the next N matching requests, then answers again', () => {
    const f = new FaultInjector({ hangCount: 2, target: 'reads' });
    expect(f.decide('logon').action).toBe('none');
    expect(f.decide('read').action).toBe('hang');
    expect(f.decide('read').action).toBe('hang');
    expect(f.decide('read').action).toBe('none');
  });

  it('refuses a negative or fractional hangCount', () => {
    expect(() => validateFaults({ hangCount: -1 })).toThrow(/hangCount/);
    expect(() => validateFaults({ hangCount: 1.5 })).toThrow(/hangCount/);
  });
});
