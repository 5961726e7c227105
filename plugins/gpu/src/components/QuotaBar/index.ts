export { QuotaBar, QuotaLegend } from './QuotaBar';
