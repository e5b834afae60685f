export * from './create-device.ts';
export * from './device-view.ts';
export * from './list-devices.ts';
export * from './revoke-device.ts';
