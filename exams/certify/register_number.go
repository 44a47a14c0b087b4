package certify

import (
	"fmt"
	"strings"

	"clerkskill/app/web"
)

// Certificate numbers (证书编号) are printed and stored as
//
//	YYYY-UUUU-SSSSS-C
//
// YYYY is the year of issue, UUUU the issuing unit's id (at least four digits; unit codes
// are letters, the id is the stable number), SSSSS the unit's serial for the year (at
// least five digits, from cert_counters) and C the ISO 7064 MOD 11-2 check character over
// every digit before it ('0'–'9' or 'X'), the scheme of the national ID number. MOD 11-2
// catches every single mistyped digit and every swap of two neighbouring characters
// (including the check character), so a verifier refuses such a number without looking
// it up. Hyphens and spaces are optional when a number is typed.

// numberDigits is the least length of the digits before the check character.
const numberDigits = 4 + 4 + 5

// maxSerial is the last serial a unit can issue in a year.
const maxSerial = 99999

// FormatNumber builds the certificate number of a unit's serial (at most maxSerial) in a
// year.
func FormatNumber(year int, orgID, serial int64) string {
	body := fmt.Sprintf("%04d%04d%05d", year, orgID, serial)
	return printedNumber(body, CheckChar(body))
}

// printedNumber groups the digits as year, unit, serial and check character.
func printedNumber(body string, check byte) string {
	return body[:4] + "-" + body[4:len(body)-5] + "-" + body[len(body)-5:] + "-" + string(check)
}

// CheckChar is the ISO 7064 MOD 11-2 check character of a string of digits.
func CheckChar(digits string) byte {
	p := 0
	for i := 0; i < len(digits); i++ {
		p = (p + int(digits[i]-'0')) * 2 % 11
	}
	c := (12 - p) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

// NormalizeNumber drops separators and upper-cases what was typed or scanned.
func NormalizeNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(strings.TrimSpace(s)) {
		if r != '-' && r != ' ' && r != '　' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseNumber checks a typed number's form and check character and returns it in the
// printed form, without any database lookup.
func ParseNumber(s string) (string, error) {
	n := NormalizeNumber(s)
	if len(n) < numberDigits+1 || len(n) > 24 {
		return "", web.Errorf(web.EINVALID, "证书编号格式不正确（应为 年份-单位-序号-校验位，如 2026-0004-00012-5）")
	}
	body, check := n[:len(n)-1], n[len(n)-1]
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return "", web.Errorf(web.EINVALID, "证书编号格式不正确（除末位校验位可为X外，只能是数字）")
		}
	}
	if check != CheckChar(body) {
		return "", web.Errorf(web.EINVALID, "证书编号校验位不符，请核对是否输错或颠倒了数字")
	}
	return printedNumber(body, check), nil
}
