import type { Ability, RawRuleOf } from '@casl/ability';
import { createPrismaAbility } from '@casl/prisma/runtime';
import type { PolicyRule } from './rules.js';
import type { PolicyQuery, PolicySubject } from './subjects.js';
import type { Action } from './types.js';

/** The CASL ability of one principal: `can` on loaded objects, `accessibleBy` for database filters. */
export type AppAbility = Ability<[Action, PolicySubject], PolicyQuery>;

/** Builds the ability from the rules of `buildRules`; `relevantRuleFor(...).origin` is the PolicyRule, with its id. */
export function abilityFromRules(rules: readonly PolicyRule[]): AppAbility {
  // PolicyRule is a raw CASL rule with two extra fields (id, accountIds); CASL keeps the object as `origin`.
  return createPrismaAbility<AppAbility>(rules as unknown as RawRuleOf<AppAbility>[]);
}
