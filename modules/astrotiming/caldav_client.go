package astrotiming

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// A small CalDAV client (RFC 4791) for the calendars that are not Google's: iCloud, Fastmail,
// Nextcloud, Radicale and the like. It does two things: PROPFIND (Depth 0) on the address the
// user gave, to prove the credentials work and that it is a calendar collection taking
// VEVENTs, and PUT of one iCalendar object per schedule entry. Requests go through the same
// guarded transport as webhooks (public addresses on ports 80 and 443 only), with HTTP Basic
// authentication.

// calDAVAccount is where and as whom to write.
type calDAVAccount struct {
	URL      string // the calendar collection, ending in "/"
	Username string
	Password string
}

const propfindCalendar = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:resourcetype/><d:displayname/><c:supported-calendar-component-set/></d:prop>
</d:propfind>`

// davMultistatus is the part of a 207 answer the check reads.
type davMultistatus struct {
	Responses []struct {
		Href     string `xml:"DAV: href"`
		Propstat []struct {
			Status string `xml:"DAV: status"`
			Prop   struct {
				ResourceType struct {
					Calendar   *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
					Collection *struct{} `xml:"DAV: collection"`
				} `xml:"DAV: resourcetype"`
				DisplayName string `xml:"DAV: displayname"`
				Components  struct {
					Comp []struct {
						Name string `xml:"name,attr"`
					} `xml:"urn:ietf:params:xml:ns:caldav comp"`
				} `xml:"urn:ietf:params:xml:ns:caldav supported-calendar-component-set"`
			} `xml:"DAV: prop"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

// calDAVCheck proves the account works: the server takes the credentials, and the URL is a
// calendar collection that accepts events. It returns the calendar's display name. Every
// refusal is a *CalDAVError naming the field at fault.
func (m *Module) calDAVCheck(ctx context.Context, a calDAVAccount) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "PROPFIND", a.URL, strings.NewReader(propfindCalendar))
	if err != nil {
		return "", &CalDAVError{Field: "url", Reason: "is not a usable URL"}
	}
	req.Header.Set("Depth", "0")
	req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	req.SetBasicAuth(a.Username, a.Password)
	res, err := m.dav.client.Do(req)
	if err != nil {
		return "", &CalDAVError{Field: "url", Reason: "no CalDAV server answered: " + dialReason(err)}
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return "", &CalDAVError{Field: "password", Reason: fmt.Sprintf("the CalDAV server refused this user name and password (HTTP %d)", res.StatusCode)}
	case res.StatusCode == http.StatusNotFound:
		return "", &CalDAVError{Field: "url", Reason: "the CalDAV server has no calendar at this address (HTTP 404)"}
	case res.StatusCode/100 == 3:
		return "", &CalDAVError{Field: "url", Reason: fmt.Sprintf("the server redirects (HTTP %d to %q): enter the calendar's own address", res.StatusCode, res.Header.Get("Location"))}
	case res.StatusCode != http.StatusMultiStatus:
		return "", &CalDAVError{Field: "url", Reason: fmt.Sprintf("is not a CalDAV calendar: PROPFIND answered HTTP %d instead of 207 Multi-Status", res.StatusCode)}
	}
	var ms davMultistatus
	if err := xml.Unmarshal(body, &ms); err != nil || len(ms.Responses) == 0 {
		return "", &CalDAVError{Field: "url", Reason: "is not a CalDAV calendar: the PROPFIND answer is not a WebDAV multistatus"}
	}
	for _, ps := range ms.Responses[0].Propstat {
		if !strings.Contains(ps.Status, " 200") {
			continue
		}
		p := ps.Prop
		if p.ResourceType.Calendar == nil {
			if p.ResourceType.Collection != nil {
				return "", &CalDAVError{Field: "url", Reason: "is a folder, not a calendar: open the calendar itself (its address usually ends in the calendar's name)"}
			}
			continue
		}
		if len(p.Components.Comp) > 0 {
			events := false
			for _, c := range p.Components.Comp {
				events = events || strings.EqualFold(c.Name, "VEVENT")
			}
			if !events {
				return "", &CalDAVError{Field: "url", Reason: "is a calendar that does not take events (a task list?)"}
			}
		}
		return p.DisplayName, nil
	}
	return "", &CalDAVError{Field: "url", Reason: "is not a calendar collection (its resource type lacks CALDAV:calendar)"}
}

// dialReason is the part of a transport error worth showing: the guard's refusal or the
// network's, without the request line.
func dialReason(err error) string {
	msg := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		msg = ue.Err.Error()
	}
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return msg
}

// calDAVPut writes one iCalendar object at href (a name inside the collection) and returns the
// ETag the server gave it, if any. The href is the entry's own, so writing it again replaces
// the event instead of adding one.
func (m *Module) calDAVPut(ctx context.Context, a calDAVAccount, name string, ics []byte) (href, etag string, err error) {
	target, err := url.Parse(a.URL)
	if err != nil {
		return "", "", err
	}
	target = target.JoinPath(name)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, target.String(), bytes.NewReader(ics))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "text/calendar; charset=utf-8")
	req.SetBasicAuth(a.Username, a.Password)
	res, err := m.dav.client.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("caldav: PUT %s: %s", target.Path, dialReason(err))
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 300))
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return "", "", fmt.Errorf("caldav: the server refused the saved user name and password (HTTP %d); enter them again", res.StatusCode)
	case res.StatusCode/100 != 2:
		return "", "", fmt.Errorf("caldav: PUT %s: HTTP %d %s", target.Path, res.StatusCode, strings.TrimSpace(string(msg)))
	}
	return target.Path, res.Header.Get("ETag"), nil
}
