# bash completion for the tubes commands: arpq ping-lite trace dig-lite
# httpget smtpsend ftpget pop3get.
#
# One script, installed under each command's name (completions/NAME is a
# symlink to this file; make install copies it as NAME into the
# bash-completion directory, where it is loaded on first use of NAME).
# Options come from the command's own --help, so they are never out of
# step with it; dig-lite also completes record types (from the list its
# --help prints from its own table), classes, +options and @server.

# _tubes_opts CMD: the options CMD's --help shows, one per line (cached)
_tubes_opts() {
	local cmd=$1 var help w i
	var=_tubes_cache_${cmd//[^A-Za-z0-9]/_}
	if [[ -z ${!var-} ]]; then
		help=$("$cmd" --help 2>/dev/null)
		local -a out=()
		for w in $(grep -oE -- '(^|[][ |,(])--?[A-Za-z0-9][-A-Za-z0-9]*=?' <<<"$help" | tr -d '[]|,( '); do
			case $w in
			--*) out+=("$w") ;;
			-??*)	# a bundle of short flags, as in [-46hjVX]
				for ((i = 1; i < ${#w}; i++)); do out+=("-${w:i:1}"); done ;;
			-?) out+=("$w") ;;
			esac
		done
		# dig-lite's +options: the words that start its lines of options,
		# "+[no]x" as +x and +nox, "+key=N" as +key=
		local line ws
		while read -r line; do
			read -ra ws <<<"$line"
			for w in "${ws[@]}"; do
				[[ $w =~ ^\+(\[no\])?[a-z0-9][-a-z0-9]*(=[A-Za-z]*|\[=[A-Za-z]*\])?$ ]] || break
				w=${w%%\[=*}	# "+[no]https[=path]": +https and +nohttps
				case $w in
				+\[no\]*) out+=("+${w#+\[no\]}" "+no${w#+\[no\]}") ;;
				+*=*) out+=("${w%%=*}=") ;;
				*) out+=("$w") ;;
				esac
			done
		done < <(grep -E '^ +\+' <<<"$help")
		printf -v "$var" '%s\n' $(printf '%s\n' "${out[@]}" | sort -u)
	fi
	printf '%s' "${!var}"
}

# _tubes_dig_types: the record types dig-lite --help lists (its own table)
_tubes_dig_types() {
	dig-lite --help 2>/dev/null | sed -n 's/^types: //p' | tr ' ' '\n' | grep -v '^TYPEn$'
}

# _tubes_takes_arg CMD OPT: does OPT take an argument, per CMD's --help?
_tubes_takes_arg() {
	local help
	help=$("$1" --help 2>/dev/null)
	grep -qE -- "(^|[][ |,(])$2( [A-Za-z']|=[A-Za-z])" <<<"$help"
}

_tubes() {
	local cur prev cmd=${1##*/}
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	[[ $COMP_CWORD -gt 0 ]] || return 0

	case $cmd:$prev in
	dig-lite:-t)
		COMPREPLY=($(compgen -W "$(_tubes_dig_types)" -- "${cur^^}"))
		return 0 ;;
	dig-lite:-c)
		COMPREPLY=($(compgen -W "IN CH HS ANY" -- "${cur^^}"))
		return 0 ;;
	ping-lite:--until)
		COMPREPLY=($(compgen -W "up down down=" -- "$cur"))
		return 0 ;;
	smtpsend:--auth)
		COMPREPLY=($(compgen -W "plain login" -- "$cur"))
		return 0 ;;
	httpget:-I) ;;	# curl's -I, HEAD: no argument
	*:-I)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
		return 0 ;;
	esac
	if [[ $prev == -* ]] && _tubes_takes_arg "$cmd" "$prev"; then
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
	fi
	case $cur in
	-*|+*)
		COMPREPLY=($(compgen -W "$(_tubes_opts "$cmd")" -- "$cur"))
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
		return 0 ;;
	esac
	case $cmd in
	dig-lite)
		if [[ $cur == @* ]]; then
			COMPREPLY=($(compgen -P @ -A hostname -- "${cur#@}"))
		else
			COMPREPLY=($(compgen -W "$(_tubes_dig_types)" -- "${cur^^}")
				$(compgen -A hostname -- "$cur"))
		fi ;;
	httpget)
		COMPREPLY=($(compgen -W "http:// https://" -- "$cur")) ;;
	ftpget)
		COMPREPLY=($(compgen -W "ftp:// ftps://" -- "$cur")) ;;
	pop3get)
		COMPREPLY=($(compgen -W "pop3://" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -A hostname -- "$cur")) ;;
	esac
	[[ ${COMPREPLY[0]-} == *:// ]] && compopt -o nospace 2>/dev/null
	return 0
}

complete -F _tubes arpq ping-lite trace dig-lite httpget smtpsend ftpget pop3get
