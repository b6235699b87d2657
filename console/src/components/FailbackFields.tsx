import { useEffect, useId, useRef } from 'react';
import { HOST_TYPES, type FailbackDestination, type FailbackForm, type FailbackProblem, type FailbackSwitchover, type HostType } from '../lib/failback-input';

interface Props {
  form: FailbackForm;
  onChange(form: FailbackForm): void;
  problem: FailbackProblem | null;
}

const DESTINATIONS: Array<{ value: FailbackDestination; label: string }> = [
  { value: 'originalLocation', label: 'The original VM, in its original location' },
  { value: 'originalVm', label: 'The original VM, restored to another place' },
  { value: 'customized', label: 'A new VM, in a location you choose' },
];

const SWITCHOVERS: Array<{ value: FailbackSwitchover; label: string }> = [
  { value: 'automatic', label: 'Automatically, as soon as the data is synced' },
  { value: 'at', label: 'At a time' },
  { value: 'manual', label: 'When I switch it (from this page, once it is ready to switch)' },
];

/** One text field of the form, its problem (if it is the one to correct) tied to it for screen readers. */
function TextField({ form, field, label, hint, problem, onChange }: Props & { field: keyof FailbackForm; label: string; hint?: string }) {
  const id = useId();
  const errorId = `${id}-error`;
  const wrong = problem?.field === field;
  const input = useRef<HTMLInputElement>(null);
  // The field to correct takes the focus: it may be out of sight in a long dialog, and its message is read with it.
  useEffect(() => {
    if (wrong) input.current?.focus();
  }, [wrong, problem]);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="field">
        <input
          ref={input}
          id={id}
          value={String(form[field])}
          placeholder={hint}
          aria-invalid={wrong || undefined}
          aria-describedby={wrong ? errorId : undefined}
          onChange={(event) => onChange({ ...form, [field]: event.target.value })}
        />
        {wrong ? (
          <span id={errorId} className="field__error">
            {problem.message}
          </span>
        ) : null}
      </div>
    </>
  );
}

/**
 * Where and when a failback goes: the destination (the original VM where it
 * was, the original VM restored elsewhere, or a new VM), the switch to
 * production (automatic, at a time, or by hand) and whether the VM is powered
 * on. Only the fields of the chosen destination are shown.
 */
export function FailbackFields({ form, onChange, problem }: Props) {
  const name = useId();
  const switchName = useId();
  const ids = { hostType: useId(), switchAt: useId() };
  const field = (props: { field: keyof FailbackForm; label: string; hint?: string }) => <TextField key={props.field} form={form} onChange={onChange} problem={problem} {...props} />;
  const switchWrong = problem?.field === 'switchAt';
  const switchAt = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (switchWrong) switchAt.current?.focus();
  }, [switchWrong, problem]);
  return (
    <>
      <fieldset>
        <legend>Fail back to</legend>
        <div className="choice-list">
          {DESTINATIONS.map((choice) => (
            <label key={choice.value} className="choice choice--nowrap">
              <input type="radio" name={name} checked={form.destination === choice.value} onChange={() => onChange({ ...form, destination: choice.value })} />
              <span>{choice.label}</span>
            </label>
          ))}
        </div>
        {form.destination === 'originalLocation' ? (
          <label className="check">
            <input type="checkbox" checked={form.quickRollback} onChange={(event) => onChange({ ...form, quickRollback: event.target.checked })} /> Quick rollback: copy only
            the changed blocks (vSphere before 7.0)
          </label>
        ) : null}
        {form.destination === 'originalVm' ? (
          <div className="form-grid">
            {field({ field: 'vcenter', label: 'vCenter Server', hint: 'vcsa-1.example.com' })}
            {field({ field: 'vmName', label: 'VM name' })}
            {field({ field: 'vmObjectId', label: 'VM object id', hint: 'vm-2042' })}
          </div>
        ) : null}
        {form.destination === 'customized' ? (
          <div className="form-grid">
            {field({ field: 'vcenter', label: 'vCenter Server or host', hint: 'vcsa-1.example.com' })}
            {field({ field: 'hostName', label: 'Host or cluster' })}
            <label htmlFor={ids.hostType}>Its type</label>
            <select id={ids.hostType} value={form.hostType} onChange={(event) => onChange({ ...form, hostType: event.target.value as HostType })}>
              {HOST_TYPES.map((type) => (
                <option key={type}>{type}</option>
              ))}
            </select>
            {field({ field: 'hostObjectId', label: 'Host or cluster object id', hint: 'host-12 or domain-c7' })}
            {field({ field: 'resourcePoolName', label: 'Resource pool (optional)' })}
            {field({ field: 'resourcePoolObjectId', label: 'Resource pool object id', hint: 'resgroup-9' })}
            {field({ field: 'folderName', label: 'VM folder (optional)' })}
            {field({ field: 'folderObjectId', label: 'Folder object id', hint: 'group-v3' })}
            <label className="check form-grid__wide">
              <input type="checkbox" checked={form.restoreVmTags} onChange={(event) => onChange({ ...form, restoreVmTags: event.target.checked })} /> Give the VM the
              source VM’s tags
            </label>
            <p className="muted form-grid__wide">Disks go where the backup server places them by default.</p>
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Switch to production</legend>
        <div className="choice-list">
          {SWITCHOVERS.map((choice) => (
            <label key={choice.value} className="choice choice--nowrap">
              <input type="radio" name={switchName} checked={form.switchover === choice.value} onChange={() => onChange({ ...form, switchover: choice.value })} />
              <span>{choice.label}</span>
            </label>
          ))}
        </div>
        {form.switchover === 'at' ? (
          <div className="field">
            <label htmlFor={ids.switchAt}>Switch at</label>
            <input
              ref={switchAt}
              id={ids.switchAt}
              type="datetime-local"
              step={60}
              value={form.switchAt}
              aria-invalid={switchWrong || undefined}
              aria-describedby={switchWrong ? `${ids.switchAt}-error` : undefined}
              onChange={(event) => onChange({ ...form, switchAt: event.target.value })}
            />
            {switchWrong ? (
              <span id={`${ids.switchAt}-error`} className="field__error">
                {problem.message}
              </span>
            ) : null}
          </div>
        ) : null}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={form.powerOn} onChange={(event) => onChange({ ...form, powerOn: event.target.checked })} /> Power the VM on after the switch
      </label>
    </>
  );
}
