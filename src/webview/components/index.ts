/** Our component layer; views import from here, never from the toolkit. */
export { registerComponents } from './register';
export { createButton, type ButtonHandle, type ButtonOptions } from './button';
export { createSegmented, type SegmentedHandle, type SegmentOption } from './segmented';
export { createTextField, type TextFieldHandle } from './textField';
export { createCountBadge, createSourceBadge, createSourceSwatch, createTag } from './badge';
export { createProgressBar, createProgressRing, type ProgressBarHandle } from './progress';
