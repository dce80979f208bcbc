export {
  ADWARDEN_ERROR_CODES,
  type AdwardenDiagnosisCode,
  type AdwardenErrorCode,
  RESPONSE_PROBLEMS,
} from './adwarden-codes.ts';
export { CATALOG, type CatalogMatch, lookupCode } from './catalog.ts';
export { type CallFacts, type ClassifyContext, classify } from './classify.ts';
export type { Diagnosis, DiagnosisBasis, DiagnosisDetails } from './diagnosis.ts';
export type { CatalogEntry, Folklore, RetryPolicy } from './entry.ts';
export {
  ACTION_DESCRIPTIONS,
  type Actor,
  AUTOMATIC_ACTIONS,
  type AutomaticAction,
  type Confidence,
  type DiagnosisKind,
  FAILURE_KINDS,
  type FailureKind,
} from './failure-kind.ts';
export {
  isAccessFailure,
  isAuthFailure,
  isInconclusiveFailure,
  isPermissionFailure,
  isRateLimited,
  isTokenFailure,
  isTransient,
} from './kind-groups.ts';
export { renderErrorsDoc } from './render-errors-doc.ts';
