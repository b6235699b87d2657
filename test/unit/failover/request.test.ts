import { describe, expect, it } from 'vitest';
import { checkCdpTarget, FailoverInputError, normaliseIdempotencyKey, normaliseReason, requestHash } from '../../../src/failover/request.js';

const policy = { required: false, maxLength: 20 };

function inputError(run: () => unknown): FailoverInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof FailoverInputError) return error;
    throw error;
  }
  throw new Error('expected a FailoverInputError');
}

describe('failover reason', () => {
  it('is trimmed, and empty means none', () => {
    expect(normaliseReason('  site A is down \n', policy)).toBe('site A is down');
    expect(normaliseReason('   ', policy)).toBeNull();
    expect(normaliseReason(undefined, policy)).toBeNull();
  });

  it('may be required by the deployment', () => {
    const error = inputError(() => normaliseReason(' ', { ...policy, required: true }));
    expect(error.field).toBe('reason');
    expect(error.problem).toBe('reason-required');
  });

  it('keeps tabs and line breaks but refuses controls, bidirectional overrides and lone surrogates', () => {
    expect(normaliseReason('a\tb\nc', policy)).toBe('a\tb\nc');
    for (const text of ['bell\u0007', 'nul\u0000', 'esc\u001b[31m', 'c1\u0085', 'rlo\u202E', 'iso\u2066', 'lone\uD800x', 'x\uDC00']) {
      expect(inputError(() => normaliseReason(text, policy)).problem).toBe('reason-characters');
    }
    // A pair is one character, not a lone surrogate.
    expect(normaliseReason('ok 🚒', policy)).toBe('ok 🚒');
  });

  it('refuses every bidirectional control character (Unicode Bidi_Control), marks included', () => {
    const bidiControls = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const control of bidiControls) {
      expect(inputError(() => normaliseReason(`ok ${control}x`, policy)).problem, `U+${control.codePointAt(0)!.toString(16)}`).toBe('reason-characters');
    }
    // Right-to-left text itself is fine: only the invisible controls are refused.
    expect(normaliseReason('שלום مرحبا', policy)).toBe('שלום مرحبا');
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(normaliseReason('🚒'.repeat(20), policy)).toHaveLength(40);
    const error = inputError(() => normaliseReason('x'.repeat(21), policy));
    expect(error.problem).toBe('reason-too-long');
    expect(error.message).toContain('21');
  });
});

describe('idempotency key', () => {
  it('comes from the argument or the header', () => {
    expect(normaliseIdempotencyKey('abc', null)).toBe('abc');
    expect(normaliseIdempotencyKey(null, ' 7f0c-1 ')).toBe('7f0c-1');
    expect(normaliseIdempotencyKey(undefined, undefined)).toBeNull();
    expect(normaliseIdempotencyKey('same', 'same')).toBe('same');
  });

  it('refuses two different keys and malformed ones', () => {
    expect(inputError(() => normaliseIdempotencyKey('a', 'b')).problem).toBe('idempotency-key-conflict');
    for (const key of ['', 'with space', 'ünï', 'x'.repeat(256), 'tab\t']) {
      expect(inputError(() => normaliseIdempotencyKey(key, null)).problem).toBe('idempotency-key-malformed');
    }
    expect(normaliseIdempotencyKey('x'.repeat(255), null)).toHaveLength(255);
  });
});

describe('CDP target', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it('refuses a point in time in the future, with a few seconds of clock skew', () => {
    expect(() => checkCdpTarget({ kind: 'pointInTime', at: new Date('2026-11-25T12:00:04Z') }, now)).not.toThrow();
    const error = inputError(() => checkCdpTarget({ kind: 'pointInTime', at: new Date('2026-11-25T12:01:00Z') }, now));
    expect(error.field).toBe('target.pointInTime');
    expect(() => checkCdpTarget({ kind: 'latestCrashConsistent' }, now)).not.toThrow();
  });
});

describe('request hash', () => {
  const at = new Date('2026-11-25T10:00:00Z');
  it('is equal for equal requests and differs with target, kind, moment or reason', () => {
    const vm = requestHash({ kind: 'VM_REPLICA', restorePointId: 'p1' }, 'why');
    expect(requestHash({ kind: 'VM_REPLICA', restorePointId: 'p1' }, 'why')).toBe(vm);
    const others = [
      requestHash({ kind: 'VM_REPLICA', restorePointId: 'p2' }, 'why'),
      requestHash({ kind: 'VCD_VAPP_REPLICA', restorePointId: 'p1' }, 'why'),
      requestHash({ kind: 'VM_REPLICA', restorePointId: 'p1' }, null),
      requestHash({ kind: 'CDP_VM', replicaId: 'r', target: { kind: 'pointInTime', at } }, null),
      requestHash({ kind: 'CDP_VM', replicaId: 'r', target: { kind: 'pointInTime', at: new Date(at.getTime() + 1) } }, null),
      requestHash({ kind: 'CDP_VM', replicaId: 'r', target: { kind: 'latestCrashConsistent' } }, null),
    ];
    expect(new Set([vm, ...others]).size).toBe(7);
  });
});
