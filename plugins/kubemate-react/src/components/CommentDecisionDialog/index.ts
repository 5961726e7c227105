export * from './CommentDecisionDialog';
