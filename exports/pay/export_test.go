package pay

// SetChunkSize makes rounds of n clerks, for tests of the batching; it returns the undo.
func SetChunkSize(n int) func() {
	old := chunkSize
	chunkSize = n
	return func() { chunkSize = old }
}

// SetScanShare changes when SQLite walks staff in storage order rather than unit by
// unit (0: never; a large n: always); it returns the undo.
func SetScanShare(n int) func() {
	old := scanShare
	scanShare = n
	return func() { scanShare = old }
}
