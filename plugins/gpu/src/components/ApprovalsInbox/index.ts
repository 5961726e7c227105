export {
  ApprovalsInbox,
  changeText,
  CANNOT_DECIDE_REASON,
} from './ApprovalsInbox';
export { DecisionDialog } from './DecisionDialog';
