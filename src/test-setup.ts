// Unit tests get a real IndexedDB implementation (in memory) instead of mocks.
import 'fake-indexeddb/auto';
