export { ModelPicker } from './ModelPicker';
export type { ModelPickerProps } from './ModelPicker';
