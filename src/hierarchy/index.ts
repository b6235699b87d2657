export { URN_TOKENS, rootToken, urnToken, type HierarchyPlatform, type ObjectRefForm, type UrnToken } from './urn-tokens.js';
export { parseUrn, formatUrn, descendantsFilterValue, describeUrnFailure, type ParsedUrn, type UrnSegment, type UrnParseFailure, type UrnParseResult } from './urn.js';
export { EM_REF_TYPES, formatEmRef, parseEmRef, type EmPlatform, type EmRef, type EmRefParseFailure, type EmRefParseResult } from './em-ref.js';
export {
  hierarchyRootResolver,
  type HierarchyRootInfo,
  type HierarchyRootResolver,
  type InventoryHost,
  type RootMatch,
  type RootMatchFailure,
} from './hierarchy-roots.js';
export { segmentEmRef, urnEmRefs, resolveUrn, type UrnRefsFailure, type UrnRefsResult } from './urn-em-refs.js';
