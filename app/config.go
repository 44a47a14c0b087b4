package app

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"clerkskill/app/db"
)

// Config is every setting, with defaults that run a demo on SQLite under ./data.
// Environment variables are read first; flags override them.
type Config struct {
	Addr            string        // CLERKSKILL_ADDR
	DataDir         string        // CLERKSKILL_DATA
	DatabaseURL     string        // DATABASE_URL: postgres://… for PostgreSQL, empty for SQLite
	Demo            bool          // CLERKSKILL_DEMO: load the demo dataset into an empty store
	AutoMigrate     bool          // CLERKSKILL_AUTO_MIGRATE: migrate at start (else refuse a stale schema)
	SecureCookies   bool          // CLERKSKILL_SECURE_COOKIES: set when served over HTTPS
	AdminPassword   string        // CLERKSKILL_ADMIN_PASSWORD: first admin's password
	SessionIdle     time.Duration // CLERKSKILL_SESSION_IDLE
	SessionAbsolute time.Duration // CLERKSKILL_SESSION_MAX
	BodyLimitMB     int           // CLERKSKILL_BODY_LIMIT_MB
	ReadTimeout     time.Duration // CLERKSKILL_READ_TIMEOUT
	WriteTimeout    time.Duration // CLERKSKILL_WRITE_TIMEOUT
	ProxyHeader     string        // CLERKSKILL_PROXY_HEADER, e.g. X-Forwarded-For behind a load balancer
	TrustedProxies  []string      // CLERKSKILL_TRUSTED_PROXIES, comma separated
	LogFormat       string        // CLERKSKILL_LOG: text or json
	PayAsyncClerks  int           // CLERKSKILL_PAY_ASYNC_CLERKS: pay sheets above this many clerks download in the background
	MetricsToken    string        // CLERKSKILL_METRICS_TOKEN: bearer token a scraper sends for /metrics (else admins only)
}

func defaultConfig() Config {
	return Config{
		Addr: "127.0.0.1:8080", DataDir: "./data", AutoMigrate: true,
		SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour,
		BodyLimitMB: 20, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		LogFormat: "text", PayAsyncClerks: 5000,
	}
}

// loadEnv applies the environment over the defaults.
func loadEnv(getenv func(string) string) (Config, error) {
	c := defaultConfig()
	var errs []string
	str := func(key string, dst *string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	boolean := func(key string, dst *bool) {
		if v := getenv(key); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs = append(errs, key+": want true or false")
			}
			*dst = b
		}
	}
	dur := func(key string, dst *time.Duration) {
		if v := getenv(key); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				errs = append(errs, key+": want a duration such as 30m")
			}
			*dst = d
		}
	}
	count := func(key string, dst *int) {
		if v := getenv(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				errs = append(errs, key+": want a positive whole number")
			}
			*dst = n
		}
	}
	str("CLERKSKILL_ADDR", &c.Addr)
	str("CLERKSKILL_DATA", &c.DataDir)
	str("DATABASE_URL", &c.DatabaseURL)
	boolean("CLERKSKILL_DEMO", &c.Demo)
	boolean("CLERKSKILL_AUTO_MIGRATE", &c.AutoMigrate)
	boolean("CLERKSKILL_SECURE_COOKIES", &c.SecureCookies)
	str("CLERKSKILL_ADMIN_PASSWORD", &c.AdminPassword)
	dur("CLERKSKILL_SESSION_IDLE", &c.SessionIdle)
	dur("CLERKSKILL_SESSION_MAX", &c.SessionAbsolute)
	dur("CLERKSKILL_READ_TIMEOUT", &c.ReadTimeout)
	dur("CLERKSKILL_WRITE_TIMEOUT", &c.WriteTimeout)
	str("CLERKSKILL_PROXY_HEADER", &c.ProxyHeader)
	str("CLERKSKILL_LOG", &c.LogFormat)
	count("CLERKSKILL_BODY_LIMIT_MB", &c.BodyLimitMB)
	count("CLERKSKILL_PAY_ASYNC_CLERKS", &c.PayAsyncClerks)
	errs = append(errs, c.proxies(getenv)...)
	errs = append(errs, c.metricsToken(getenv)...)
	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// minMetricsToken is the shortest metrics token taken: it is a password that nobody
// types, never changes and is not throttled.
const minMetricsToken = 24

// metricsToken reads the token a Prometheus scraper sends for /metrics.
func (c *Config) metricsToken(getenv func(string) string) []string {
	c.MetricsToken = getenv("CLERKSKILL_METRICS_TOKEN")
	if c.MetricsToken != "" && len(c.MetricsToken) < minMetricsToken {
		return []string{fmt.Sprintf("CLERKSKILL_METRICS_TOKEN: at least %d characters, e.g. from openssl rand -hex 24", minMetricsToken)}
	}
	return nil
}

// proxies reads the trusted proxies and refuses a proxy header without them: Fiber would
// take the header from any client, who could then claim a new address per request and
// escape the per-address login and verification throttles.
func (c *Config) proxies(getenv func(string) string) []string {
	if v := getenv("CLERKSKILL_TRUSTED_PROXIES"); v != "" {
		c.TrustedProxies = strings.Split(v, ",")
	}
	if c.ProxyHeader != "" && len(c.TrustedProxies) == 0 {
		return []string{"CLERKSKILL_PROXY_HEADER needs CLERKSKILL_TRUSTED_PROXIES (the load balancer's addresses)"}
	}
	return nil
}

// storeFlags adds the flags every command that opens the store shares.
func (c *Config) storeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory (SQLite file, attachments)")
	fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "postgres:// URL; empty for SQLite under --data")
}

// String prints the effective configuration with secrets masked.
func (c Config) String() string {
	var b strings.Builder
	line := func(k string, v any) { fmt.Fprintf(&b, "  %-18s %v\n", k, v) }
	line("addr", c.Addr)
	line("data dir", c.DataDir)
	line("database", c.storeName())
	line("demo", c.Demo)
	line("auto migrate", c.AutoMigrate)
	line("secure cookies", c.SecureCookies)
	line("admin password", mask(c.AdminPassword))
	line("session idle", c.SessionIdle)
	line("session max", c.SessionAbsolute)
	line("body limit (MB)", c.BodyLimitMB)
	line("pay async clerks", c.PayAsyncClerks)
	line("proxy header", c.ProxyHeader)
	line("metrics token", mask(c.MetricsToken))
	return b.String()
}

func (c Config) storeName() string {
	if !db.IsPostgresDSN(c.DatabaseURL) {
		return "sqlite " + c.DataDir + "/clerkskill.db"
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return "postgres (unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.Redacted()
}

func mask(s string) string {
	if s == "" {
		return "(not set)"
	}
	return "(set)"
}

func writeln(w io.Writer, format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }

// TestConfig is the configuration tests wire servers with: defaults, nothing from the
// environment.
func TestConfig() Config {
	c := defaultConfig()
	c.DataDir = ""
	return c
}
