export {
  ExemptionRequestDialog,
  exemptionProblems,
  endOfDay,
  isoDate,
  DEFAULT_EXEMPTION_DAYS,
} from './ExemptionRequestDialog';
