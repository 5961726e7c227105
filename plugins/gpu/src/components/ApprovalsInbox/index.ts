export { ApprovalsInbox, changeText } from './ApprovalsInbox';
export { DecisionDialog } from './DecisionDialog';
