export { AnswerPanel, AnswerText, Timings } from './AnswerPanel';
