package certify

import (
	"context"
	"strings"
	"time"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// Verification is what the public may learn about a certificate: nothing that would
// identify the holder to someone who does not already know them.
type Verification struct {
	Number     string     `json:"number"`
	Name       string     `json:"name"`
	IDNumber   string     `json:"id_number"`
	Level      int        `json:"level"`
	LevelName  string     `json:"level_name"`
	LevelTitle string     `json:"level_title"`
	Occupation string     `json:"occupation"`
	Issuer     string     `json:"issuer"`
	IssuedOn   rbac.Date  `json:"issued_on"`
	ValidUntil *rbac.Date `json:"valid_until,omitempty"`
	Validity   string     `json:"validity"`
	Status     string     `json:"status"`
	StatusText string     `json:"status_text"`
	// RevokeClass is the class of a revocation (考试违纪 …), never the recorded reason.
	RevokeClass string     `json:"revoke_class,omitempty"`
	RevokedOn   *rbac.Date `json:"revoked_on,omitempty"`
}

// Verify looks a certificate up by number. A number whose check character is wrong is
// refused before any lookup.
func (s *Store) Verify(ctx context.Context, number string) (*Verification, error) {
	n, err := ParseNumber(number)
	if err != nil {
		return nil, err
	}
	c, err := findCertRow(ctx, s.db, "ct.number = ?", n)
	if err != nil {
		return nil, web.Errorf(web.ENOTFOUND, "未查到编号为%s的证书，请核对编号", n)
	}
	return c.verification(s.now()), nil
}

func (c *CertRow) verification(now time.Time) *Verification {
	v := &Verification{Number: c.Number, Name: MaskName(c.Name), IDNumber: rbac.MaskID(c.IDNumber), Level: c.Level,
		LevelName: exams.LevelName(c.Level), LevelTitle: exams.LevelTitle(c.Level), Occupation: c.Occupation,
		Issuer: c.IssuerName, IssuedOn: c.IssuedOn, ValidUntil: c.ValidUntil, Validity: c.Validity(),
		Status: c.Status, StatusText: c.StatusLabel(now)}
	if c.Status == CertRevoked {
		v.RevokeClass = c.RevokeClass
		if c.RevokedAt != nil {
			d := certDay(c.RevokedAt.In(certZone))
			v.RevokedOn = &d
		}
	}
	return v
}

// MaskName keeps a name's first and last characters: 张*明, 李*, 欧阳**华.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// verifyLimit bounds public lookups per client address. With the check character refusing
// typed guesses before the database, this keeps anyone from walking the serials of a unit;
// the overall cap keeps rotating addresses from gaining much. It is counted in the database,
// so all instances together allow this much.
var verifyLimit = rbac.Limit{Name: "verify", Window: time.Minute, PerKey: 20, Overall: 2000,
	Message: "查询过于频繁，请一分钟后再试"}
