export { Waterfall, ms } from './Waterfall';
