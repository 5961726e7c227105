export { StartProbe } from './StartProbe';
