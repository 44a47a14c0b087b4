package session

// SaveQuick exposes the one-statement save to the tests, which check that it is the
// path PostgreSQL takes and that it keeps every guard of the careful one.
var SaveQuick = (*Store).saveQuick
