package exports

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"sync"
	"time"
)

// ReportCache keeps recent error reports in memory for their uploader to download: at
// most reportSlots and reportBytes together, each for reportTTL. A restart forgets them;
// the user uploads again.
type ReportCache struct {
	mu    sync.Mutex
	items map[string]cachedReport
}

type cachedReport struct {
	owner   int64
	body    []byte
	expires time.Time
}

const (
	reportSlots = 32
	reportTTL   = time.Hour
	reportBytes = 64 << 20
)

// NewReportCache returns an empty cache.
func NewReportCache() *ReportCache { return &ReportCache{items: map[string]cachedReport{}} }

// Put writes a workbook with write and keeps it for owner; "" when it cannot be written.
func (rc *ReportCache) Put(owner int64, write func(io.Writer) error) string {
	var buf bytes.Buffer
	if write(&buf) != nil || buf.Len() > reportBytes {
		return ""
	}
	k := make([]byte, 16)
	_, _ = rand.Read(k)
	key := hex.EncodeToString(k)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.evict(time.Now(), buf.Len())
	rc.items[key] = cachedReport{owner: owner, body: buf.Bytes(), expires: time.Now().Add(reportTTL)}
	return key
}

// evict drops expired reports, then the ones closest to expiry until there is room for
// one more of size bytes.
func (rc *ReportCache) evict(now time.Time, size int) {
	total := size
	for k, v := range rc.items {
		if now.After(v.expires) {
			delete(rc.items, k)
		} else {
			total += len(v.body)
		}
	}
	for len(rc.items) > 0 && (len(rc.items) >= reportSlots || total > reportBytes) {
		oldest := ""
		for k, v := range rc.items {
			if oldest == "" || v.expires.Before(rc.items[oldest].expires) {
				oldest = k
			}
		}
		total -= len(rc.items[oldest].body)
		delete(rc.items, oldest)
	}
}

// Get returns owner's report under key.
func (rc *ReportCache) Get(owner int64, key string) ([]byte, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	v, ok := rc.items[key]
	if !ok || v.owner != owner || time.Now().After(v.expires) {
		return nil, false
	}
	return v.body, true
}

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
