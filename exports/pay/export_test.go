package pay

// SetChunkSize makes rounds of n clerks, for tests of the batching; it returns the undo.
func SetChunkSize(n int) func() {
	old := chunkSize
	chunkSize = n
	return func() { chunkSize = old }
}
