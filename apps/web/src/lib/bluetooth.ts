import { type HeartRateMeasurement, parseHeartRateMeasurement } from '@athlete/core';

/** The small part of the Web Bluetooth API used here (TypeScript's DOM lib does not ship it). */
interface BtCharacteristic extends EventTarget {
  value?: DataView | null;
  startNotifications(): Promise<BtCharacteristic>;
  stopNotifications?(): Promise<BtCharacteristic>;
}
interface BtService {
  getCharacteristic(uuid: number | string): Promise<BtCharacteristic>;
}
interface BtServer {
  connected: boolean;
  connect(): Promise<BtServer>;
  disconnect(): void;
  getPrimaryService(uuid: number | string): Promise<BtService>;
}
interface BtDevice extends EventTarget {
  id: string;
  name?: string | null;
  gatt?: BtServer | null;
}
interface BtNavigator {
  bluetooth?: {
    getAvailability?(): Promise<boolean>;
    requestDevice(options: {
      filters: Array<{ services: Array<number | string> }>;
      optionalServices?: Array<number | string>;
    }): Promise<BtDevice>;
  };
}

export const HEART_RATE_SERVICE = 0x180d;
export const HEART_RATE_MEASUREMENT = 0x2a37;

export type BluetoothSupport = { supported: true } | { supported: false; reason: string };

/** Whether this browser can pair a strap, with a reason a person understands when it cannot. */
export async function bluetoothSupport(nav: unknown = globalThis.navigator): Promise<BluetoothSupport> {
  const bt = (nav as BtNavigator | undefined)?.bluetooth;
  if (!bt) {
    return {
      supported: false,
      reason:
        typeof window !== 'undefined' && !window.isSecureContext
          ? 'Web Bluetooth needs a secure page (https or localhost).'
          : 'This browser has no Web Bluetooth. Use Chrome or Edge on desktop or Android, or Bluefy on iOS.',
    };
  }
  if (bt.getAvailability) {
    try {
      if (!(await bt.getAvailability()))
        return { supported: false, reason: 'Bluetooth is off or this device has no adapter.' };
    } catch {
      // Some browsers throw instead of answering; requestDevice will tell.
    }
  }
  return { supported: true };
}

export interface StrapConnection {
  deviceName: string;
  disconnect(): void;
}

export interface ConnectStrapOptions {
  onMeasurement(m: HeartRateMeasurement, receivedAt: number): void;
  /** Parser rejected a notification (counted, not fatal). */
  onBadPacket?(err: Error): void;
  onStatus?(status: 'connected' | 'reconnecting' | 'disconnected', detail?: string): void;
  nav?: unknown;
  /** Reconnect attempts after the strap drops (out of range, battery). */
  maxReconnects?: number;
}

/**
 * Pairs a heart-rate strap (service 0x180D), subscribes to Heart Rate Measurement (0x2A37)
 * notifications and parses them with the shared parser. Must be called from a user gesture.
 */
export async function connectHeartRateStrap(opts: ConnectStrapOptions): Promise<StrapConnection> {
  const bt =
    (opts.nav as BtNavigator | undefined)?.bluetooth ??
    (globalThis.navigator as unknown as BtNavigator).bluetooth;
  if (!bt) throw new Error('Web Bluetooth is not available in this browser.');
  const device = await bt.requestDevice({ filters: [{ services: [HEART_RATE_SERVICE] }] });
  let stopped = false;
  let characteristic: BtCharacteristic | null = null;

  const onValue = (ev: Event) => {
    const value = (ev.target as BtCharacteristic).value;
    if (!value) return;
    try {
      opts.onMeasurement(parseHeartRateMeasurement(value), Date.now());
    } catch (err) {
      opts.onBadPacket?.(err as Error);
    }
  };

  const subscribe = async () => {
    const server = await device.gatt!.connect();
    const service = await server.getPrimaryService(HEART_RATE_SERVICE);
    characteristic = await service.getCharacteristic(HEART_RATE_MEASUREMENT);
    characteristic.addEventListener('characteristicvaluechanged', onValue);
    await characteristic.startNotifications();
    opts.onStatus?.('connected');
  };

  const onDisconnected = async () => {
    characteristic?.removeEventListener('characteristicvaluechanged', onValue);
    if (stopped) return;
    const max = opts.maxReconnects ?? 5;
    for (let attempt = 1; attempt <= max && !stopped; attempt++) {
      opts.onStatus?.('reconnecting', `Strap lost, reconnecting (${attempt}/${max})…`);
      await new Promise((r) => setTimeout(r, Math.min(8000, 500 * 2 ** attempt)));
      try {
        await subscribe();
        return;
      } catch {
        // next attempt
      }
    }
    if (!stopped)
      opts.onStatus?.('disconnected', 'The strap is out of reach. Pair it again when it is back.');
  };

  if (!device.gatt) throw new Error('This device does not offer GATT services.');
  device.addEventListener('gattserverdisconnected', onDisconnected);
  await subscribe();

  return {
    deviceName: device.name ?? 'Heart-rate strap',
    disconnect() {
      stopped = true;
      device.removeEventListener('gattserverdisconnected', onDisconnected);
      characteristic?.removeEventListener('characteristicvaluechanged', onValue);
      try {
        device.gatt?.disconnect();
      } catch {
        // already gone
      }
      opts.onStatus?.('disconnected');
    },
  };
}
