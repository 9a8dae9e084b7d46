// The offline queue of writes (IndexedDB). Until it lands, nothing is queued.
export async function pendingFor(url) {
  return [];
}
