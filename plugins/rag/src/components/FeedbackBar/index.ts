export { FeedbackBar } from './FeedbackBar';
