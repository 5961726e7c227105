export { InspectionsPage, tabIndexOf } from './InspectionsPage';
