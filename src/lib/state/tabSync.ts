import { TabChannel, type TabMessage } from '../tabs.ts';

/** What another tab changed; the receiver re-reads it from storage (no data on the channel). */
export interface TabSyncHandlers {
  profilesChanged(): Promise<void>;
  sessionChanged(profileId: string): Promise<void>;
}

/** Keeps the open tabs of this app in step: says what changed, and re-reads what others changed. */
export class TabSync {
  #channel: TabChannel | null = null;

  start(handlers: TabSyncHandlers): void {
    this.#channel?.close();
    this.#channel = new TabChannel((message: TabMessage) => {
      void (message.type === 'profiles'
        ? handlers.profilesChanged()
        : handlers.sessionChanged(message.profileId));
    });
  }

  profilesChanged(): void {
    this.#channel?.post({ type: 'profiles' });
  }

  sessionChanged(profileId: string): void {
    this.#channel?.post({ type: 'session', profileId });
  }

  stop(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
