package web

import (
	"net/http"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// navs are the links each role sees under the page header. A new page of
// a role adds its link here.
var navs = map[string][]Link{
	stakhanov.RoleWorker: {
		{"/worker", "My norm"},
		{"/worker/shifts", "My shifts"},
		{"/worker/fulfilment", "My fulfilment"},
		{"/worker/collective", "My collective"},
		{"/worker/recommend", "Recommend a colleague"},
	},
	stakhanov.RoleForeman: {
		{"/foreman", "Shift reports"},
	},
	stakhanov.RolePlanner: {
		{"/planner", "Norms"},
		{"/planner/norms/new", "Set a norm"},
		{"/planner/plans", "Plans"},
		{"/planner/shortages", "Needs and output"},
		{"/planner/storming", "Storming"},
		{"/planner/ratchets", "The ratchet"},
		{"/planner/closes", "Closes"},
	},
	stakhanov.RoleVerifier: {
		{"/verifier", "Flagged reports"},
	},
	stakhanov.RoleAdmin: {
		{"/admin", "Admin"},
		{"/admin/accounts", "Accounts"},
	},
	stakhanov.RoleAuditor: {
		{"/auditor", "Honours ledger"},
		{"/registry", "Registry"},
	},
}

func navFor(role string) []Link {
	if n, ok := navs[role]; ok {
		return n
	}
	return []Link{{StartPage(role), "Start"}}
}

// roleTask is one thing a role does, with the API call that does it until
// its page is built.
type roleTask struct {
	Text string
	API  string // "POST /api/v1/nominations"
}

type roleInfo struct {
	Title string
	About string
	Tasks []roleTask
}

// roleInfos describe the start pages of roles whose work has no pages of
// its own yet: what the role does and the API calls that do it.
var roleInfos = map[string]roleInfo{
	stakhanov.RoleAdmin: {"Administrator", "You keep the organisation tree, the people, the goods, the accounts and the award catalogue.", []roleTask{
		{"Units", "POST /api/v1/units"},
		{"People", "POST /api/v1/people"},
		{"Goods", "POST /api/v1/goods"},
		{"Awards", "POST /api/v1/awards"},
		{"Accounts and passwords: stakhanov user add / user passwd", ""},
	}},
}

type roleHomeData struct {
	Role string
	Info roleInfo
}

// handleRoleHome is the start page of a role whose work is done through
// the API for now: what the role does, and how.
func (s *Server) handleRoleHome(w http.ResponseWriter, r *http.Request) error {
	u := stakhanov.UserFromContext(r.Context())
	role := strings.TrimPrefix(r.URL.Path, "/")
	info, ok := roleInfos[role]
	if !ok {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no start page for %s.", role)
	}
	_ = u
	s.render(w, r, http.StatusOK, "role_home", info.Title, roleHomeData{Role: role, Info: info})
	return nil
}
