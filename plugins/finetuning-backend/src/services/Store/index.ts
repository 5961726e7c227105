export * from './DatabaseFinetuningStore';
