import { Dialog, DialogDismiss, DialogHeading, useDialogStore } from '@ariakit/react';
import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import {
  CreateAccountDocument,
  DeleteAccountDocument,
  UpdateAccountDocument,
  type AccountFieldsFragment,
  type AccountType,
  type PortalRole,
  type ReplicaAction,
  type ReplicaKind,
} from '../generated/graphql';
import { ACTION_LABELS, KIND_LABELS, KINDS, ROLE_LABELS, ROLES } from '../lib/labels';
import { ContainerPicker, type PickedContainer } from './ContainerPicker';
import { RequestError } from './ErrorPanel';

/** Actions an account may be granted beyond its roles' defaults (the gateway refuses the defaults in the list). */
const GRANTABLE: readonly ReplicaAction[] = ['PERMANENT_FAILOVER', 'FAILBACK', 'SWITCH_TO_PRODUCTION', 'COMMIT_FAILBACK', 'UNDO_FAILBACK'];

const toggle = <T,>(list: T[], item: T, on: boolean): T[] => (on ? [...new Set([...list, item])] : list.filter((value) => value !== item));

/**
 * Adds or changes an account: roles, allowed kinds, granted actions and the
 * restore scope, whose items are picked from the backup servers' hierarchies
 * (the `containers` query: search, tree, replica counts).
 */
export function AccountEditor({ account, onClose }: { account: AccountFieldsFragment | null; onClose(): void }) {
  const dialog = useDialogStore({ defaultOpen: true, setOpen: (open) => (open ? undefined : onClose()) });
  const ids = { type: useId(), name: useId(), display: useId() };
  const [type, setType] = useState<AccountType>(account?.type ?? 'USER');
  const [name, setName] = useState(account?.name ?? '');
  const [displayName, setDisplayName] = useState(account?.displayName ?? '');
  const [roles, setRoles] = useState<PortalRole[]>(account?.roles ?? ['RESTORE_OPERATOR']);
  const [kinds, setKinds] = useState<ReplicaKind[]>(account?.allowedKinds ?? KINDS);
  const [allObjects, setAllObjects] = useState(account?.scope.all ?? false);
  const [granted, setGranted] = useState<ReplicaAction[]>(account?.grantedActions ?? []);
  const [items, setItems] = useState<PickedContainer[]>(account?.scope.items.map(({ ref, name: itemName }) => ({ ref, name: itemName })) ?? []);
  const [created, create] = useMutation(CreateAccountDocument);
  const [updated, update] = useMutation(UpdateAccountDocument);
  const [deleted, remove] = useMutation(DeleteAccountDocument);
  const error = created.error ?? updated.error ?? deleted.error;

  const scope = allObjects ? { allObjects: true } : { items: items.map((item) => ({ ref: item.ref, name: item.name })) };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const fields = { name: name.trim(), displayName: displayName.trim() || null, roles, allowedKinds: kinds, grantedActions: granted, scope };
    const result = account ? await update({ id: account.id, input: fields }) : await create({ input: { ...fields, type } });
    if (!result.error) dialog.hide();
  };
  const del = async () => {
    if (!account) return;
    const result = await remove({ id: account.id });
    if (!result.error) dialog.hide();
  };
  return (
    <Dialog store={dialog} className="dialog dialog--wide" backdrop={<div className="dialog-backdrop" />}>
      <DialogHeading className="dialog__heading">{account ? `Account ${account.name}` : 'New account'}</DialogHeading>
      <form onSubmit={(event) => void save(event)} className="form-grid">
        <label htmlFor={ids.type}>Type</label>
        <select id={ids.type} value={type} disabled={account !== null} onChange={(event) => setType(event.target.value as AccountType)}>
          <option value="USER">User (matched against the token’s subject)</option>
          <option value="GROUP">Group (matched against the token’s groups)</option>
        </select>
        <label htmlFor={ids.name}>Name</label>
        <input id={ids.name} value={name} onChange={(event) => setName(event.target.value)} required />
        <label htmlFor={ids.display}>Display name</label>
        <input id={ids.display} value={displayName} onChange={(event) => setDisplayName(event.target.value)} />
        <fieldset className="form-grid__wide">
          <legend>Roles</legend>
          {ROLES.map((role) => (
            <label key={role} className="check">
              <input type="checkbox" checked={roles.includes(role)} onChange={(event) => setRoles(toggle(roles, role, event.target.checked))} /> {ROLE_LABELS[role]}
            </label>
          ))}
        </fieldset>
        <fieldset className="form-grid__wide">
          <legend>Kinds it may fail over</legend>
          {KINDS.map((kind) => (
            <label key={kind} className="check">
              <input type="checkbox" checked={kinds.includes(kind)} onChange={(event) => setKinds(toggle(kinds, kind, event.target.checked))} /> {KIND_LABELS[kind]}
            </label>
          ))}
        </fieldset>
        <fieldset className="form-grid__wide">
          <legend>Actions beyond the roles’ defaults</legend>
          <p className="muted">
            Restore Operators and Portal Users may fail over, plan a failover and undo a failover in their scope; Portal Administrators may do every action.
          </p>
          {GRANTABLE.map((action) => (
            <label key={action} className="check">
              <input type="checkbox" checked={granted.includes(action)} onChange={(event) => setGranted(toggle(granted, action, event.target.checked))} />{' '}
              {ACTION_LABELS[action].title}
            </label>
          ))}
        </fieldset>
        <fieldset className="form-grid__wide">
          <legend>Restore scope</legend>
          <label className="check">
            <input type="checkbox" checked={allObjects} onChange={(event) => setAllObjects(event.target.checked)} /> All objects
          </label>
          {!allObjects ? (
            <>
              <p className="muted">A container grants every replica beneath it.</p>
              {items.length === 0 ? <p>Nothing yet: this account sees no replica.</p> : null}
              <ul className="scope-items" aria-label="In the restore scope">
                {items.map((item) => (
                  <li key={item.ref} className="scope-row" data-ref={item.ref}>
                    <span>
                      {item.name}
                      <span className="muted scope-row__ref"> {item.ref}</span>
                    </span>
                    <button type="button" className="button button--quiet button--small" onClick={() => setItems(items.filter((row) => row.ref !== item.ref))}>
                      Remove<span className="visually-hidden"> {item.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <ContainerPicker selected={new Set(items.map((item) => item.ref))} onAdd={(picked) => setItems([...items, picked])} />
            </>
          ) : null}
        </fieldset>
        <div className="form-grid__wide">{error ? <RequestError error={error} /> : null}</div>
        <div className="actions form-grid__wide">
          {account ? (
            <button type="button" className="button button--danger" onClick={() => void del()}>
              Delete account
            </button>
          ) : null}
          <DialogDismiss className="button button--quiet">Cancel</DialogDismiss>
          <button type="submit" className="button">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
