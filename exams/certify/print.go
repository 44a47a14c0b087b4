package certify

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// PrintedCertificate is one certificate as the print page lays it out, with the QR code
// of its public verification address.
type PrintedCertificate struct {
	Cert      *CertRow
	VerifyURL string
	QR        template.HTML
}

// VerifyURL is the public verification address of a number under base (scheme and host).
func VerifyURL(base, number string) string {
	return strings.TrimRight(base, "/") + "/verify?no=" + url.QueryEscape(number)
}

// printed prepares certificates for printing under base.
func printed(base string, certs []*CertRow) ([]PrintedCertificate, error) {
	out := make([]PrintedCertificate, len(certs))
	for i, c := range certs {
		u := VerifyURL(base, c.Number)
		qr, err := QRSVG(u)
		if err != nil {
			return nil, err
		}
		out[i] = PrintedCertificate{Cert: c, VerifyURL: u, QR: qr}
	}
	return out, nil
}

// QRSVG draws text as a QR code (error correction M) in inline SVG: one path of unit
// squares, black on white, with the quiet zone, sized by the stylesheet.
func QRSVG(text string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap() // includes the quiet zone
	var d strings.Builder
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	n := len(bits)
	svg := fmt.Sprintf(`<svg class="cert-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="证书查验二维码" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, n, n, d.String())
	return template.HTML(svg), nil // built only from numbers above, nothing from the caller
}
