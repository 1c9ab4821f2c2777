;; The tally unit: how often each word was seen, in an association list
;; that lives as long as the program, and the word's score.
(declare (unit tally))
(import scheme (chicken base))
(define counts '())
(define (tally-word! w)
  (let ((entry (assoc w counts)))
    (if entry
        (set-cdr! entry (+ (cdr entry) 1))
        (set! counts (cons (cons w 1) counts)))
    (cdr (assoc w counts))))
(define (score w)
  (let ((entry (assoc w counts)))
    (* 10 (if entry (cdr entry) 0))))
