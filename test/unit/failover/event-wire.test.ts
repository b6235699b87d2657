import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWire, toWire, type FailoverEvent } from '../../../src/failover/events.js';

const STATES = ['DISPATCHING', 'OUTCOME_UNKNOWN', 'RUNNING', 'SUCCEEDED', 'WARNING', 'FAILED', 'NOT_STARTED'] as const;
const KINDS = ['VM_REPLICA', 'CDP_VM', 'VCD_VAPP_REPLICA', 'VCD_CDP_VAPP'] as const;

const sample: FailoverEvent = {
  operationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  sequence: 7,
  state: 'RUNNING',
  progress: 42,
  taskState: 'Running',
  sessionState: 'Working',
  result: null,
  message: 'half way',
  replicaState: null,
  at: new Date('2026-11-25T22:00:00.123Z'),
  final: false,
  kind: 'CDP_VM',
  replicaId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  initiatorSubject: 'operator',
};

const event: fc.Arbitrary<FailoverEvent> = fc.record({
  operationId: fc.uuid(),
  sequence: fc.integer({ min: 1, max: 1_000_000 }),
  state: fc.constantFrom(...STATES),
  progress: fc.integer({ min: 0, max: 100 }),
  taskState: fc.option(fc.string(), { nil: null }),
  sessionState: fc.option(fc.string(), { nil: null }),
  result: fc.option(fc.string(), { nil: null }),
  message: fc.option(fc.string(), { nil: null }),
  replicaState: fc.option(fc.string(), { nil: null }),
  at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
  final: fc.boolean(),
  kind: fc.constantFrom(...KINDS),
  replicaId: fc.option(fc.uuid(), { nil: null }),
  initiatorSubject: fc.string({ minLength: 1 }),
});

/** What Redis carries: JSON text. */
const overTheWire = (e: FailoverEvent): unknown => JSON.parse(JSON.stringify(toWire(e)));

describe('event wire format', () => {
  it('toWire carries the time as ISO text and everything else as it is', () => {
    const wire = toWire(sample);
    expect(wire.at).toBe('2026-11-25T22:00:00.123Z');
    const { at: _at, ...rest } = wire;
    const { at: _sampleAt, ...sampleRest } = sample;
    expect(rest).toEqual(sampleRest);
    // The event itself is untouched.
    expect(sample.at).toBeInstanceOf(Date);
  });

  it('round trip through JSON gives the same event', () => {
    const back = fromWire(overTheWire(sample));
    expect(back).toEqual(sample);
    expect(back!.at).toBeInstanceOf(Date);
  });

  it('round trip through JSON gives the same event (property)', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(fromWire(overTheWire(e))).toEqual(e);
      }),
    );
  });

  it('rejects what is not an object', () => {
    for (const junk of [null, undefined, 0, 42, 'event', true, Symbol('x'), () => sample]) expect(fromWire(junk)).toBeNull();
    expect(fromWire([])).toBeNull();
    expect(fromWire([toWire(sample)])).toBeNull();
    expect(fromWire({})).toBeNull();
  });

  it('rejects objects whose key fields are missing or of the wrong type', () => {
    const wire = toWire(sample) as unknown as Record<string, unknown>;
    const broken: Array<[string, Record<string, unknown>]> = [
      ['no operationId', { ...wire, operationId: undefined }],
      ['numeric operationId', { ...wire, operationId: 7 }],
      ['no sequence', { ...wire, sequence: undefined }],
      ['sequence as text', { ...wire, sequence: '7' }],
      ['no state', { ...wire, state: undefined }],
      ['state as number', { ...wire, state: 3 }],
      ['no at', { ...wire, at: undefined }],
      ['at as a number', { ...wire, at: sample.at.getTime() }],
      ['at as a Date (not what JSON carries)', { ...wire, at: sample.at }],
      ['at not a time', { ...wire, at: 'yesterday-ish' }],
      ['at empty', { ...wire, at: '' }],
    ];
    for (const [what, value] of broken) expect(fromWire(value), what).toBeNull();
  });

  it('rejects another publisher\'s messages on the channel (envelopes, other shapes)', () => {
    expect(fromWire({ origin: 'gw-b', event: toWire(sample) })).toBeNull();
    expect(fromWire({ type: 'ping', at: new Date().toISOString() })).toBeNull();
    expect(fromWire({ id: sample.operationId, seq: 1, state: 'RUNNING', at: sample.at.toISOString() })).toBeNull();
  });

  // fromWire's contract: "null for anything that is not one (another publisher on the channel, a newer format)".
  // What passes goes straight to the hub and to subscribers: `final` decides when failoverProgress completes,
  // `kind`/`initiatorSubject`/`replicaId` decide who may see it (the gate), and the GraphQL type declares
  // `final`, `kind`, `progress` non-null.
  it('rejects an object that lacks the fields watchers need (final, kind, progress, initiatorSubject)', () => {
    const minimal = { operationId: sample.operationId, sequence: 8, state: 'SUCCEEDED', at: sample.at.toISOString() };
    expect(fromWire(minimal)).toBeNull();
    const wire = toWire(sample) as unknown as Record<string, unknown>;
    for (const field of ['final', 'kind', 'progress', 'initiatorSubject']) {
      const { [field]: _dropped, ...rest } = wire;
      expect(fromWire(rest), `without ${field}`).toBeNull();
    }
  });

  it('rejects a sequence that is not a positive integer', () => {
    const wire = toWire(sample) as unknown as Record<string, unknown>;
    for (const sequence of [0, -1, 1.5]) expect(fromWire({ ...wire, sequence }), `sequence ${sequence}`).toBeNull();
  });
});
